using System.Diagnostics;
using System.IO;
using System.Runtime.Versioning;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>bin/pluma on a tree with <see cref="AuthTree"/>'s password files (one per htpasswd hash kind).</summary>
public sealed class AuthBasicServer : IDisposable
{
    public AuthBasicServer()
    {
        Tree = new TempConfTree();
        AuthTree.Prepare(Tree);
        try
        {
            Server = PlumaServer.Start(Tree);
        }
        catch
        {
            Tree.Dispose();
            throw;
        }
    }

    public TempConfTree Tree { get; }

    public PlumaServer Server { get; }

    public void Dispose()
    {
        Server.Dispose();
        Tree.Dispose();
    }
}

/// <summary>
/// Basic authentication on the real server: every hash htpasswd writes grants its password and
/// nothing else, failures are 401 with the realm and Apache's AH lines, the access log names the
/// user, a changed password file is read again without a restart, and a file that cannot be read
/// is a 500, never a grant.
/// </summary>
public sealed class AuthBasicTests : IClassFixture<AuthBasicServer>
{
    private readonly AuthBasicServer _s;

    public AuthBasicTests(AuthBasicServer server)
    {
        _s = server;
    }

    public static TheoryData<string> HashKinds => ["bcrypt", "md5", "sha1", "crypt", "sha256", "sha512"];

    [Theory]
    [MemberData(nameof(HashKinds))]
    public void EachHashKindGrantsItsPasswordOnly(string kind)
    {
        string path = "/auth/" + kind + "/";
        HttpResponseText none = Get(path, null);
        Assert.Equal(401, none.Status);
        Assert.Equal("Basic realm=\"Pluma " + kind + "\"", none.Header("WWW-Authenticate"));

        HttpResponseText ok = Get(path, AuthTree.Basic(AuthTree.User, AuthTree.Password));
        Assert.Equal(200, ok.Status);
        Assert.Equal(kind + " ok\n", ok.BodyText);
        Assert.Null(ok.Header("WWW-Authenticate"));
        Assert.Equal(200, Get(path, AuthTree.Basic(AuthTree.OtherUser, AuthTree.OtherPassword)).Status);

        HttpResponseText wrong = Get(path, AuthTree.Basic(AuthTree.User, AuthTree.Password + "!"));
        Assert.Equal(401, wrong.Status);
        Assert.Equal("Basic realm=\"Pluma " + kind + "\"", wrong.Header("WWW-Authenticate"));
        WaitForErrorLog("AH01617: user alice: authentication failure for \"" + path + "\": Password Mismatch");

        Assert.Equal(401, Get(path, AuthTree.Basic("mallory-" + kind, AuthTree.Password)).Status);
        WaitForErrorLog("AH01618: user mallory-" + kind + " not found: " + path);
    }

    [Fact]
    public void APlainTextPasswordFileGrantsNothing()
    {
        Assert.Equal(401, Get("/auth/plain/", AuthTree.Basic(AuthTree.User, AuthTree.Password)).Status);
        WaitForErrorLog("AH01617: user alice: authentication failure for \"/auth/plain/\"");
    }

    [Fact]
    public void TheAccessLogNamesTheUserWhoTried()
    {
        Get("/auth/md5/", AuthTree.Basic("carol-tried", "x"));
        Get("/auth/md5/", AuthTree.Basic(AuthTree.User, AuthTree.Password));
        string log = WaitForFile(Path.Combine(_s.Tree.LogDir, "access.log"), "\"GET /auth/md5/ HTTP/1.1\" 200");
        Assert.Contains("127.0.0.1 - carol-tried [", log, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1 - alice [", log, StringComparison.Ordinal);
    }

    [Fact]
    public void AChangedPasswordFileIsReadAgainWithoutARestart()
    {
        // The sha1 area's file, rewritten in place by htpasswd while the server runs.
        string file = Path.Combine(_s.Tree.ConfDir, "auth", "users-sha1");
        byte[] original = File.ReadAllBytes(file);
        try
        {
            Assert.Equal(200, Get("/auth/sha1/", AuthTree.Basic(AuthTree.User, AuthTree.Password)).Status);
            Htpasswd("-b", "-s", file, AuthTree.User, "changed");
            Assert.Equal(401, Get("/auth/sha1/", AuthTree.Basic(AuthTree.User, AuthTree.Password)).Status);
            Assert.Equal(200, Get("/auth/sha1/", AuthTree.Basic(AuthTree.User, "changed")).Status);
        }
        finally
        {
            File.WriteAllBytes(file, original);
        }

        Assert.Equal(200, Get("/auth/sha1/", AuthTree.Basic(AuthTree.User, AuthTree.Password)).Status);
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public void AnUnreadablePasswordFileIsAServerErrorNeverAGrant()
    {
        HttpResponseText missing = Get("/auth/missing/", AuthTree.Basic(AuthTree.User, AuthTree.Password));
        Assert.Equal(500, missing.Status);
        WaitForErrorLog("(2)No such file or directory: [client 127.0.0.1:");
        WaitForErrorLog("AH01620: Could not open password file: " + Path.Combine(_s.Tree.ConfDir, "auth", "no-such-file"));

        // Children never run as root (the bundled tree serves as www-data when started by root,
        // else as the caller): a mode 000 file is unreadable to them.
        string file = Path.Combine(_s.Tree.ConfDir, "auth", "users-crypt");
        UnixFileMode mode = File.GetUnixFileMode(file);
        try
        {
            File.SetUnixFileMode(file, UnixFileMode.None);
            HttpResponseText denied = Get("/auth/crypt/", AuthTree.Basic(AuthTree.User, AuthTree.Password));
            Assert.Equal(500, denied.Status);
            WaitForErrorLog("(13)Permission denied: [client 127.0.0.1:");
        }
        finally
        {
            File.SetUnixFileMode(file, mode);
        }

        Assert.Equal(200, Get("/auth/crypt/", AuthTree.Basic(AuthTree.User, AuthTree.Password)).Status);
    }

    [Fact]
    public void RequireGroupReadsTheGroupFile()
    {
        Assert.Equal(200, Get("/auth/group/", AuthTree.Basic(AuthTree.User, AuthTree.Password)).Status);
        HttpResponseText other = Get("/auth/group/", AuthTree.Basic(AuthTree.OtherUser, AuthTree.OtherPassword));
        Assert.Equal(401, other.Status);
        Assert.Equal("Basic realm=\"group\"", other.Header("WWW-Authenticate"));
        WaitForErrorLog("AH01631: user bob: authorization failure for \"/auth/group/\": ");
    }

    private HttpResponseText Get(string path, string? authorization)
    {
        using var c = new RawHttp(_s.Tree.Port);
        c.Send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + (authorization is null ? "" : "Authorization: " + authorization + "\r\n") + "Connection: close\r\n\r\n");
        return c.ReadResponse();
    }

    private void WaitForErrorLog(string text) => WaitForFile(Path.Combine(_s.Tree.LogDir, "error.log"), text);

    private static string WaitForFile(string path, string text)
    {
        var sw = Stopwatch.StartNew();
        string content = "";
        while (sw.Elapsed < TimeSpan.FromSeconds(10))
        {
            content = File.Exists(path) ? ReadShared(path) : "";
            if (content.Contains(text, StringComparison.Ordinal))
            {
                return content;
            }

            Thread.Sleep(50);
        }

        Assert.Fail("'" + text + "' never appeared in " + path + ":\n" + content);
        return content;
    }

    private static string ReadShared(string path)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var r = new StreamReader(f);
        return r.ReadToEnd();
    }

    private static void Htpasswd(params string[] args)
    {
        ProcessResult r = ProcessRunner.Run("htpasswd", args);
        Assert.True(r.ExitCode == 0, r.Combined);
    }
}
