using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Both servers with mod_vhost_alias: the main server maps every name to www/vh/NAME (scripts to
/// www/vh/NAME/cgi-bin), and name-based virtual hosts try each form of the %N.M interpolation.
/// LogLevel info makes each miss log the file it looked for (AH00128), which is how a test sees
/// the mapping.
/// </summary>
public sealed class VhostAliasServers : IDisposable
{
    public VhostAliasServers()
    {
        Servers = new DifferentialServers(Prepare);
    }

    internal DifferentialServers Servers { get; }

    public void Dispose() => Servers.Dispose();

    private static void Prepare(TempConfTree tree)
    {
        string vh = Path.Combine(tree.Top, "www", "vh");
        Write(Path.Combine(vh, "www.example.com", "hello.txt"), "hello from www.example.com\n", script: false);
        Write(Path.Combine(vh, "slash.test", "hello.txt"), "hello from slash.test\n", script: false);
        string env = "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\n" +
            "for v in DOCUMENT_ROOT CONTEXT_DOCUMENT_ROOT CONTEXT_PREFIX SCRIPT_FILENAME SCRIPT_NAME PATH_INFO; do eval \"echo $v=\\$$v\"; done\n";
        Write(Path.Combine(vh, "www.example.com", "cgi-bin", "env.cgi"), env, script: true);
        Write(Path.Combine(vh, "slashcgi", "slash.test", "env.cgi"), env, script: true);
        Write(Path.Combine(vh, "ipcgi", "127.0.0.1", "env.cgi"), env, script: true);
        tree.AppendToMainConfig(
            "Include mods-available/vhost_alias.load\n" +
            "LoadModule cgid_module /usr/lib/apache2/modules/mod_cgid.so\n" +
            "ScriptSock " + Path.Combine(tree.Top, "cgisock") + "\n" +
            "LogLevel info\n" +
            "VirtualDocumentRoot ${PLUMA_WWW}/vh/%0\n" +
            "VirtualScriptAlias ${PLUMA_WWW}/vh/%0/cgi-bin\n");
        string port = tree.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        tree.WriteConf(Path.Combine("sites-enabled", "vhost-alias.conf"),
            Host(port, "parts.test", "VirtualDocumentRoot ${PLUMA_WWW}/vh/parts/%1/%2/%-1/%-2/%2+/%-2+/%3/%9/%-9") +
            Host(port, "chars.test", "VirtualDocumentRoot ${PLUMA_WWW}/vh/chars/%1.1/%1.2/%1.-1/%1.-2/%1.2+/%1.-2+/%1.9/%0.1/%-1.1+/%2.-1+/%9.2") +
            Host(port, "port.test", "VirtualDocumentRoot ${PLUMA_WWW}/vh/port/%p/%%/x%0y") +
            Host(port, "ip.test", "VirtualDocumentRootIP ${PLUMA_WWW}/vh/ip/%1/%-1/%0\nVirtualScriptAliasIP ${PLUMA_WWW}/vh/ipcgi/%0") +
            Host(port, "none.test", "DocumentRoot ${PLUMA_WWW}/html\nVirtualDocumentRoot none\nVirtualScriptAlias none") +
            Host(port, "slash.test", "VirtualDocumentRoot ${PLUMA_WWW}/vh/%0/\nVirtualScriptAlias ${PLUMA_WWW}/vh/slashcgi/%0/"));
    }

    private static string Host(string port, string name, string body) =>
        "<VirtualHost *:" + port + ">\nServerName " + name + "\nServerAlias *." + name + "\n" + body + "\n</VirtualHost>\n";

    private static void Write(string path, string text, bool script)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        if (script && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("755", 8));
        }
    }
}

/// <summary>VirtualDocumentRoot, VirtualScriptAlias and their IP forms against Debian's apache2: status, body and the file each name maps to.</summary>
public sealed class DifferentialVhostAliasTests : IClassFixture<VhostAliasServers>
{
    private readonly DifferentialServers _servers;

    public DifferentialVhostAliasTests(VhostAliasServers servers)
    {
        _servers = servers.Servers;
    }

    [Theory]
    [InlineData("www.example.com", "/hello.txt")]
    [InlineData("WWW.Example.COM", "/hello.txt")]
    [InlineData("www.example.com", "/p1.txt")]
    [InlineData("other.example.com", "/p2.txt")]
    [InlineData("www.example.com", "/cgi-bin/env.cgi/extra")]
    [InlineData("www.example.com", "//cgi-bin/env.cgi")]
    [InlineData("www.example.com", "/x/cgi-bin/p3.cgi")]
    [InlineData("www.example.com", "/cgi-bin/p4.cgi")]
    [InlineData("a.b.parts.test", "/p5.txt")]
    [InlineData("one.two.three.four.five.parts.test", "/p6.txt")]
    [InlineData("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.parts.test", "/p7.txt")]
    [InlineData("parts.test", "/p8.txt")]
    [InlineData("abcdef.xy.chars.test", "/p9.txt")]
    [InlineData("q.chars.test", "/p10.txt")]
    [InlineData("port.test", "/p11.txt")]
    [InlineData("port.test:1234", "/p12.txt")]
    [InlineData("ip.test", "/p13.txt")]
    [InlineData("ip.test", "/cgi-bin/env.cgi")]
    [InlineData("none.test", "/p14.txt")]
    [InlineData("none.test", "/cgi-bin/p15.cgi")]
    [InlineData("slash.test", "/hello.txt")]
    [InlineData("slash.test", "/p16.txt")]
    [InlineData("slash.test", "/cgi-bin/env.cgi")]
    public void MapsAsDebiansApacheDoes(string host, string path)
    {
        string request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
        (int Status, string Body, string? Missed) apache = Answer(_servers.ApacheTree, request, path);
        (int Status, string Body, string? Missed) pluma = Answer(_servers.PlumaTree, request, path);
        Assert.Equal(apache, pluma);
    }

    [Theory]
    [InlineData("VirtualDocumentRoot relative/%0", "format string must be an absolute path, or 'none'")]
    [InlineData("VirtualDocumentRoot /srv/%x", "syntax error in format string")]
    [InlineData("VirtualScriptAlias /srv/%1.", "syntax error in format string")]
    [InlineData("VirtualDocumentRootIP /srv/%", "syntax error in format string")]
    public void BadFormatsAreRefusedAsApacheRefusesThem(string line, string message)
    {
        using var tree = new TempConfTree();
        tree.AppendToMainConfig("Include mods-available/vhost_alias.load\n" + line);
        ProcessResult apache = ProcessRunner.Run("/bin/sh", ["-c", ". \"$APACHE_CONFDIR/envvars\"; exec " + DifferentialApache.Binary + " -d \"$APACHE_CONFDIR\" -t"],
            new Dictionary<string, string?> { ["APACHE_CONFDIR"] = tree.ConfDir });
        ProcessResult pluma = Pluma.OnTree(tree, "-t");
        Assert.NotEqual(0, apache.ExitCode);
        Assert.NotEqual(0, pluma.ExitCode);
        Assert.Contains(message, apache.Combined, StringComparison.Ordinal);
        Assert.Contains(message, pluma.Combined, StringComparison.Ordinal);
    }

    private static (int, string, string?) Answer(TempConfTree tree, string request, string path)
    {
        using var c = new RawHttp(tree.Port);
        c.Send(request);
        HttpResponseText r = c.ReadResponse();
        string body = r.Status == 200 ? Normalize(tree, r.BodyText) : string.Empty;
        Match missed = Regex.Match(tree.ErrorLog, "AH00128: File does not exist: (\\S*" + Regex.Escape(path.TrimStart('/').Split('/')[^1]) + ")", RegexOptions.None, TimeSpan.FromSeconds(1));
        return (r.Status, body, missed.Success ? Normalize(tree, missed.Groups[1].Value) : null);
    }

    private static string Normalize(TempConfTree tree, string text) =>
        text.Replace(tree.Top, "TOP", StringComparison.Ordinal).Replace(tree.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "PORT", StringComparison.Ordinal);
}
