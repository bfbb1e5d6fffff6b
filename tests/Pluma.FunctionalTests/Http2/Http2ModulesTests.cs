using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Pluma.FunctionalTests.Proxy;
using Pluma.FunctionalTests.Tls;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Http2;

/// <summary>
/// Issue 15, "every module over both protocols": autoindex, mod_deflate, Basic authentication
/// and mod_proxy_http answered over h2c (curl's prior knowledge) and over TLS with ALPN h2, on the
/// event MPM, the access log writing <c>HTTP/2.0</c>; and graceful restart and graceful stop with
/// a stream in flight: the stream finishes with its whole body, the client gets GOAWAY NO_ERROR
/// naming it, and (after a restart) a new connection is served by the new generation.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class Http2ModulesTests
{
    private const string Host = "site.test";

    [Theory]
    [InlineData("h2c")]
    [InlineData("h2")]
    public void AutoindexDeflateAuthAndProxyAnswerOverHttp2(string protocol)
    {
        using var backend = new TestBackend();
        using var tls = new TlsTree("event");
        TempConfTree tree = tls.Tree;
        EnableHttp2(tree);
        string www = tree.DocumentRoot;

        // autoindex: a directory without an index file.
        string listing = Path.Combine(www, "listing");
        Directory.CreateDirectory(listing);
        File.WriteAllText(Path.Combine(listing, "alpha.txt"), "a\n");
        File.WriteAllText(Path.Combine(listing, "beta.txt"), "b\n");

        // deflate: Debian's deflate.conf compresses text/plain.
        var words = new StringBuilder();
        for (int i = 0; i < 2000; i++)
        {
            words.Append(CultureInfo.InvariantCulture, $"line {i} of a text that compresses well\n");
        }

        File.WriteAllText(Path.Combine(www, "words.txt"), words.ToString());

        // Basic auth with a password file written by htpasswd.
        string users = Path.Combine(tree.ConfDir, "h2users");
        ProcessResult htpasswd = ProcessRunner.Run("htpasswd", ["-cb", users, "alice", "s3cret"]);
        Assert.True(htpasswd.ExitCode == 0, htpasswd.Combined);
        Directory.CreateDirectory(Path.Combine(www, "private"));
        File.WriteAllText(Path.Combine(www, "private", "index.html"), "for alice\n");

        string log = Path.Combine(tree.LogDir, "access.log");
        tree.AppendToMainConfig(
            "<Directory " + listing + ">\nOptions +Indexes\n</Directory>\n" +
            "<Location /private/>\nAuthType Basic\nAuthName \"h2 private\"\nAuthUserFile " + users + "\nRequire valid-user\n</Location>\n" +
            "LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\n" +
            "LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so\n" +
            "ProxyPass /app/ http://127.0.0.1:" + backend.Port + "/ timeout=10 retry=0\n");
        (string cert, string key) = tls.Certificate("site", [Host]);
        tls.Site("100-" + Host, $"""
            <VirtualHost *:{tls.TlsPort}>
                ServerName {Host}
                DocumentRoot {www}
                SSLEngine on
                SSLCertificateFile {cert}
                SSLCertificateKeyFile {key}
                CustomLog {log} combined
            </VirtualHost>
            """);
        using var server = tls.Start();
        ProcessResult Get(params string[] args) => protocol == "h2c"
            ? Curl(["--http2-prior-knowledge", .. args[..^1], "http://127.0.0.1:" + tree.Port + args[^1]])
            : tls.Curl(Host, ["--http2", .. args[..^1], tls.Url(Host, args[^1])]);

        // autoindex
        ProcessResult index = Get("-i", "/listing/");
        Assert.True(index.ExitCode == 0, index.Combined + tree.ErrorLog);
        Assert.StartsWith("HTTP/2 200", index.StandardOutput);
        Assert.Contains("\r\ncontent-type: text/html", index.StandardOutput);
        Assert.Contains("<title>Index of /listing</title>", index.StandardOutput);
        Assert.Contains("<a href=\"alpha.txt\">alpha.txt</a>", index.StandardOutput);
        Assert.Contains("<a href=\"beta.txt\">beta.txt</a>", index.StandardOutput);

        // deflate: gzip on request, Vary always, the body inflates to the file.
        string gz = Path.Combine(tree.Top, "words.gz");
        ProcessResult deflated = Get("-D", "-", "-o", gz, "-H", "Accept-Encoding: gzip", "/words.txt");
        Assert.True(deflated.ExitCode == 0, deflated.Combined + tree.ErrorLog);
        Assert.StartsWith("HTTP/2 200", deflated.StandardOutput);
        Assert.Contains("\r\ncontent-encoding: gzip\r\n", deflated.StandardOutput);
        Assert.Contains("\r\nvary: Accept-Encoding\r\n", deflated.StandardOutput);
        byte[] compressed = File.ReadAllBytes(gz);
        Assert.True(compressed.Length < words.Length / 4, "not compressed: " + compressed.Length + " bytes");
        using (var inflate = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress))
        using (var plain = new MemoryStream())
        {
            inflate.CopyTo(plain);
            Assert.Equal(words.ToString(), Encoding.ASCII.GetString(plain.ToArray()));
        }

        ProcessResult identity = Get("-D", "-", "-o", Path.Combine(tree.Top, "words.txt"), "/words.txt");
        Assert.DoesNotContain("content-encoding", identity.StandardOutput);
        Assert.Contains("\r\nvary: Accept-Encoding\r\n", identity.StandardOutput);
        Assert.Equal(words.ToString(), File.ReadAllText(Path.Combine(tree.Top, "words.txt")));

        // Basic auth: 401 with the challenge, then 200 with the credentials, 401 with wrong ones.
        ProcessResult challenge = Get("-i", "/private/");
        Assert.True(challenge.ExitCode == 0, challenge.Combined + tree.ErrorLog);
        Assert.StartsWith("HTTP/2 401", challenge.StandardOutput);
        Assert.Contains("\r\nwww-authenticate: Basic realm=\"h2 private\"\r\n", challenge.StandardOutput);
        ProcessResult allowed = Get("-u", "alice:s3cret", "-w", "|%{http_code}|%{http_version}", "/private/");
        Assert.Equal("for alice\n|200|2", allowed.StandardOutput);
        ProcessResult wrong = Get("-u", "alice:nope", "-o", "/dev/null", "-w", "%{http_code}|%{http_version}", "/private/");
        Assert.Equal("401|2", wrong.StandardOutput);

        // mod_proxy_http: the HTTP/2 request goes to the HTTP/1.1 backend and its answer comes back.
        ProcessResult proxied = Get("-i", "/app/echo/x?q=1");
        Assert.True(proxied.ExitCode == 0, proxied.Combined + tree.ErrorLog);
        Assert.StartsWith("HTTP/2 200", proxied.StandardOutput);
        Assert.Contains("\r\nx-backend: echo\r\n", proxied.StandardOutput);
        Assert.Contains("\r\n\r\nGET /echo/x?q=1 conn=", proxied.StandardOutput);
        Assert.Contains("Host: 127.0.0.1:" + backend.Port + "\n", proxied.StandardOutput);
        Assert.Contains("X-Forwarded-For: 127.0.0.1\n", proxied.StandardOutput);
        byte[] upload = new byte[100_000];
        new Random(15).NextBytes(upload);
        string uploadFile = Path.Combine(tree.Top, "upload.bin");
        File.WriteAllBytes(uploadFile, upload);
        ProcessResult posted = Get("--data-binary", "@" + uploadFile, "-H", "Content-Type: application/octet-stream", "/app/echo/post");
        Assert.True(posted.ExitCode == 0, posted.Combined + tree.ErrorLog);
        Assert.StartsWith("POST /echo/post conn=", posted.StandardOutput);
        Assert.Contains("body=100000 sha=" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(upload)) + "\n", posted.StandardOutput);
        ProcessResult chunked = Get("-w", "|%{http_code}|%{http_version}", "/app/chunked");
        Assert.Equal("hello, world|200|2", chunked.StandardOutput);

        string access = WaitForAccessLog(tree, "\"GET /app/chunked HTTP/2.0\" 200 ");
        Assert.Contains("\"GET /listing/ HTTP/2.0\" 200 ", access);
        Assert.Contains("\"GET /words.txt HTTP/2.0\" 200 ", access);
        Assert.Contains("\"GET /private/ HTTP/2.0\" 401 ", access);
        Assert.Contains("alice [", access);
        Assert.Contains("\"GET /private/ HTTP/2.0\" 200 ", access);
        Assert.Contains("\"GET /app/echo/x?q=1 HTTP/2.0\" 200 ", access);
        Assert.Contains("\"POST /app/echo/post HTTP/2.0\" 200 ", access);
    }

    /// <summary>
    /// Graceful restart (SIGUSR1) and graceful stop (SIGWINCH) while a stream waits for a CGI that
    /// sleeps two seconds: the stream ends with its whole body, the connection gets GOAWAY NO_ERROR
    /// with that stream as the last, then closes; after a restart a new connection is answered
    /// over HTTP/2 once the old generation's children have gone, after a stop the server exits.
    /// </summary>
    [Theory]
    [InlineData("h2c", NativeSignals.SIGUSR1)]
    [InlineData("h2", NativeSignals.SIGUSR1)]
    [InlineData("h2c", NativeSignals.SIGWINCH)]
    [InlineData("h2", NativeSignals.SIGWINCH)]
    public void GracefulRestartAndStopFinishTheStreamInFlightAndSendGoAway(string protocol, int signal)
    {
        using var tls = new TlsTree("event");
        TempConfTree tree = tls.Tree;
        EnableHttp2(tree);
        string cgiBin = Path.Combine(tree.Top, "cgi-bin");
        Directory.CreateDirectory(cgiBin);
        // The CGI may run as another user (the tree's User when the tests run as root): a directory anyone may write.
        string marks = Path.Combine(tree.Top, "marks");
        Directory.CreateDirectory(marks);
        File.SetUnixFileMode(marks, (UnixFileMode)0b111_111_111);
        string mark = Path.Combine(marks, "cgi-started");
        string script = Path.Combine(cgiBin, "sleep.pl");
        File.WriteAllText(script, "#!/usr/bin/perl\nopen(my $m, '>', '" + mark + "'); close($m);\nsleep 2;\n$| = 1;\nprint \"Content-Type: text/plain\\n\\n\", 'z' x 20000, \"end\\n\";\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        tree.AppendToMainConfig("LoadModule cgid_module /usr/lib/apache2/modules/mod_cgid.so\nScriptSock " + Path.Combine(tree.Top, "cgisock") + "\n" +
            "ScriptAlias /cgi-bin/ " + cgiBin + "/\n<Directory \"" + cgiBin + "\">\nOptions +ExecCGI\nRequire all granted\n</Directory>\n" +
            "KeepAliveTimeout 30\n");
        File.WriteAllText(Path.Combine(tree.DocumentRoot, "ten.txt"), "0123456789");
        (string cert, string key) = tls.Certificate("site", [Host]);
        tls.Site("100-" + Host, $"""
            <VirtualHost *:{tls.TlsPort}>
                ServerName {Host}
                DocumentRoot {tree.DocumentRoot}
                SSLEngine on
                SSLCertificateFile {cert}
                SSLCertificateKeyFile {key}
                CustomLog {Path.Combine(tree.LogDir, "access.log")} combined
            </VirtualHost>
            """);
        using var server = tls.Start();

        using H2RawClient client = protocol == "h2c" ? H2RawClient.Cleartext(tree.Port) : H2RawClient.Tls(tls.TlsPort, Host, tls.CaFile);
        client.Handshake();
        client.Get(1, "/cgi-bin/sleep.pl");
        WaitUntil(() => File.Exists(mark), "the CGI to start", tree);
        server.Signal(signal);

        // The response on stream 1 to its end, and the GOAWAY, in whichever order they come.
        var body = new MemoryStream();
        int? goAwayLast = null, goAwayCode = null;
        int? status = null;
        bool ended = false;
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!(ended && goAwayLast is not null) && DateTime.UtcNow < deadline)
        {
            H2Frame? f = client.Next(_ => true);
            if (f is null)
            {
                if (client.ServerClosed)
                {
                    break;
                }

                continue;
            }

            if (f.Type == H2RawClient.GoAway && goAwayLast is null)
            {
                goAwayLast = H2RawClient.ReadInt(f.Payload) & 0x7fffffff;
                goAwayCode = H2RawClient.ReadInt(f.Payload.AsSpan(4));
            }
            else if (f.Stream == 1 && f.Type == H2RawClient.Data)
            {
                body.Write(f.Payload); // 20 kB: within the initial windows
            }
            else if (f.Stream == 1 && f.Type == H2RawClient.RstStream)
            {
                Assert.Fail("stream 1 reset: " + H2Codes.Name(H2RawClient.ReadInt(f.Payload)) + "\n" + tree.ErrorLog);
            }

            if (f.Stream == 1 && f.Type is H2RawClient.Headers or H2RawClient.Data && (f.Flags & H2RawClient.EndStream) != 0)
            {
                ended = true;
            }

            if (client.Status.TryGetValue(1, out int s))
            {
                status = s;
            }
        }

        Assert.True(ended, "stream 1 did not end\n" + tree.ErrorLog);
        Assert.Equal(200, status);
        Assert.Equal(new string('z', 20000) + "end\n", Encoding.ASCII.GetString(body.ToArray()));
        Assert.True(goAwayLast is not null, "no GOAWAY\n" + tree.ErrorLog);
        Assert.Equal(H2Codes.NoError, goAwayCode);
        Assert.Equal(1, goAwayLast);
        WaitUntil(() => client.ServerClosed, "the server to close the connection after GOAWAY", tree);

        if (signal == NativeSignals.SIGUSR1)
        {
            WaitUntil(() => Regex.Count(tree.ErrorLog, "resuming normal operations") == 2, "the new generation to start", tree);
            WaitUntil(() => ProcFs.ChildrenOlderThan(server.Pid, 1) == 0, "the old generation's children to exit", tree);
            ProcessResult again = protocol == "h2c"
                ? Curl("--http2-prior-knowledge", "-w", "|%{http_version}", "http://127.0.0.1:" + tree.Port + "/ten.txt")
                : tls.Curl(Host, "--http2", "-w", "|%{http_version}", tls.Url(Host, "/ten.txt"));
            Assert.True(again.ExitCode == 0, again.Combined + tree.ErrorLog);
            Assert.Equal("0123456789|2", again.StandardOutput);
        }
        else
        {
            Assert.True(server.WaitForExit(90_000), "the server did not exit after graceful-stop\n" + tree.ErrorLog);
        }

        WaitForAccessLog(tree, "\"GET /cgi-bin/sleep.pl HTTP/2.0\" 200 ");
        Assert.DoesNotContain("AH00045", tree.ErrorLog);
    }

    private static void WaitUntil(Func<bool> condition, string what, TempConfTree tree)
    {
        DateTime end = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < end, "timed out waiting for " + what + "\n" + tree.ErrorLog);
            System.Threading.Thread.Sleep(50);
        }
    }


    private static void EnableHttp2(TempConfTree tree)
    {
        ProcessResult r = ProcessRunner.Run(Path.Combine(RepositoryPaths.Root, "bin", "a2enmod"), ["-q", "http2"], tree.AdminEnvironment);
        Assert.True(r.ExitCode == 0, r.Combined);
    }

    private static ProcessResult Curl(params string[] args) =>
        ProcessRunner.Run("curl", ["-sS", "--max-time", "20", .. args], timeoutMs: 30_000);

    private static string WaitForAccessLog(TempConfTree tree, string expected)
    {
        string path = Path.Combine(tree.LogDir, "access.log");
        string text = "";
        for (int i = 0; i < 100; i++)
        {
            text = File.Exists(path) ? File.ReadAllText(path) : "";
            if (text.Contains(expected, StringComparison.Ordinal))
            {
                return text;
            }

            System.Threading.Thread.Sleep(100);
        }

        Assert.True(text.Contains(expected, StringComparison.Ordinal), "no " + expected + " in the access log:\n" + text);
        return text;
    }
}
