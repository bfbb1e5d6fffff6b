using System.IO;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// The core request path beyond the default site: name- and IP-based virtual hosts chosen as
/// Apache chooses them, ErrorDocument, Options FollowSymLinks, AddDefaultCharset, several
/// Listen addresses including IPv6 loopback, and -X.
/// </summary>
public sealed class VirtualHostTests
{
    [Fact]
    public void HostHeaderChoosesTheNameBasedVirtualHostAndTheFirstIsTheDefault()
    {
        using var tree = new TempConfTree();
        string a = Site(tree, "a", "site A\n");
        string b = Site(tree, "b", "site B\n");
        tree.WriteConf("sites-enabled/010-names.conf", $"""
            <VirtualHost *:{tree.Port}>
                ServerName a.example
                DocumentRoot {a}
            </VirtualHost>
            <VirtualHost *:{tree.Port}>
                ServerName b.example
                ServerAlias *.b.example
                DocumentRoot {b}
            </VirtualHost>
            """);
        using var server = PlumaServer.Start(tree);
        Assert.Equal("site A\n", Get(tree.Port, "a.example", "/index.html").BodyText);
        Assert.Equal("site B\n", Get(tree.Port, "b.example", "/index.html").BodyText);
        Assert.Equal("site B\n", Get(tree.Port, "www.b.example", "/index.html").BodyText);
        // No name matches: the first vhost for the address (000-default) answers.
        Assert.Contains("It works!", Get(tree.Port, "other.example", "/").BodyText);
    }

    [Fact]
    public void AnExactAddressVirtualHostWinsOverTheWildcardOnes()
    {
        using var tree = new TempConfTree();
        string ip = Site(tree, "ip", "by address\n");
        tree.WriteConf("sites-enabled/010-ip.conf", $"""
            <VirtualHost 127.0.0.1:{tree.Port}>
                ServerName ip.example
                DocumentRoot {ip}
            </VirtualHost>
            """);
        using var server = PlumaServer.Start(tree);
        Assert.Equal("by address\n", Get(tree.Port, "anything.example", "/index.html").BodyText);
    }

    [Fact]
    public void UseCanonicalNameOnBuildsRedirectsFromServerName()
    {
        using var tree = new TempConfTree();
        Directory.CreateDirectory(Path.Combine(tree.DocumentRoot, "docs"));
        tree.AppendToMainConfig("ServerName canonical.example:8443\nUseCanonicalName On");
        using var server = PlumaServer.Start(tree);
        HttpResponseText r = Get(tree.Port, "client-said.example", "/docs");
        Assert.Equal(301, r.Status);
        Assert.Equal("http://canonical.example:8443/docs/", r.Header("Location"));
    }

    [Fact]
    public void LocalErrorDocumentIsServedWithTheErrorStatus()
    {
        using var tree = new TempConfTree();
        File.WriteAllText(Path.Combine(tree.DocumentRoot, "missing.html"), "our own 404 page\n");
        tree.AppendToMainConfig("ErrorDocument 404 /missing.html");
        using var server = PlumaServer.Start(tree);
        HttpResponseText r = Get(tree.Port, "localhost", "/nothing-here");
        Assert.Equal(404, r.Status);
        Assert.Equal("our own 404 page\n", r.BodyText);
    }

    [Fact]
    public void SymbolicLinksAreFollowedOnlyWhereOptionsAllow()
    {
        using var tree = new TempConfTree();
        string outside = Path.Combine(tree.Top, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret.txt"), "linked\n");
        File.CreateSymbolicLink(Path.Combine(tree.DocumentRoot, "link"), outside);
        Directory.CreateDirectory(Path.Combine(tree.DocumentRoot, "strict"));
        File.CreateSymbolicLink(Path.Combine(tree.DocumentRoot, "strict", "link"), outside);
        tree.AppendToMainConfig($"<Directory {tree.DocumentRoot}/strict>\n    Options -FollowSymLinks\n</Directory>\n<Directory {outside}>\n    Require all granted\n</Directory>");
        using var server = PlumaServer.Start(tree);
        Assert.Equal("linked\n", Get(tree.Port, "localhost", "/link/secret.txt").BodyText);
        Assert.Equal(403, Get(tree.Port, "localhost", "/strict/link/secret.txt").Status);
        Assert.Contains("AH00037: Symbolic link not allowed or link target not accessible", File.ReadAllText(Path.Combine(tree.LogDir, "error.log")));
    }

    [Fact]
    public void SymLinksIfOwnerMatchFollowsOnlyLinksOwnedLikeTheirTarget()
    {
        Assert.True(Environment.UserName == "root", "this test changes file owners: run it as root (CI does)");
        using var tree = new TempConfTree();
        string dir = Path.Combine(tree.DocumentRoot, "owned");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(tree.Top, "mine.txt"), "same owner\n");
        File.WriteAllText(Path.Combine(tree.Top, "theirs.txt"), "other owner\n");
        Assert.Equal(0, ProcessRunner.Run("chown", ["www-data", Path.Combine(tree.Top, "theirs.txt")]).ExitCode);
        File.CreateSymbolicLink(Path.Combine(dir, "mine.txt"), Path.Combine(tree.Top, "mine.txt"));
        File.CreateSymbolicLink(Path.Combine(dir, "theirs.txt"), Path.Combine(tree.Top, "theirs.txt"));
        tree.AppendToMainConfig($"<Directory {dir}>\n    Options SymLinksIfOwnerMatch\n</Directory>\n<Directory {tree.Top}>\n    Require all granted\n</Directory>");
        using var server = PlumaServer.Start(tree);
        Assert.Equal("same owner\n", Get(tree.Port, "localhost", "/owned/mine.txt").BodyText);
        Assert.Equal(403, Get(tree.Port, "localhost", "/owned/theirs.txt").Status);
    }

    [Fact]
    public void AddDefaultCharsetLabelsTextResponses()
    {
        using var tree = new TempConfTree();
        tree.AppendToMainConfig("AddDefaultCharset UTF-8");
        using var server = PlumaServer.Start(tree);
        Assert.Equal("text/html; charset=UTF-8", Get(tree.Port, "localhost", "/").Header("Content-Type"));
    }

    [Fact]
    public void ListensOnSeveralAddressesIncludingIpv6Loopback()
    {
        using var tree = new TempConfTree();
        int v6 = FreePort.Next();
        tree.WriteConf("ports.conf", $"Listen 127.0.0.1:{tree.Port}\nListen [::1]:{v6}\n");
        // Without a vhost for the second address the main server (no DocumentRoot, <Directory />
        // denied) would answer 403, as Apache's does.
        tree.WriteConf("sites-enabled/010-v6.conf", $"<VirtualHost [::1]:{v6}>\n    DocumentRoot {tree.DocumentRoot}\n</VirtualHost>\n");
        using var server = PlumaServer.Start(tree);
        using var c = new RawHttp(v6, System.Net.IPAddress.IPv6Loopback);
        c.Send("GET / HTTP/1.1\r\nHost: [::1]\r\n\r\n");
        Assert.Equal(200, c.ReadResponse().Status);
        Assert.Equal(200, Get(tree.Port, "localhost", "/").Status);
    }

    [Fact]
    public void OneProcessModeServesWithoutChildren()
    {
        using var tree = new TempConfTree();
        using var server = PlumaServer.Start(tree, ["-X"]);
        Assert.Equal(200, Get(tree.Port, "localhost", "/").Status);
        Assert.Empty(ProcFs.Children(server.Pid));
    }

    private static string Site(TempConfTree tree, string name, string index)
    {
        string root = Path.Combine(tree.Top, "www", name);
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "index.html"), index);
        return root;
    }

    private static HttpResponseText Get(int port, string host, string path)
    {
        using var c = new RawHttp(port);
        c.Send($"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        return c.ReadResponse();
    }
}
