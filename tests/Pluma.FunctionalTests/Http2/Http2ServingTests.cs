using System.Collections.Generic;
using System.IO;
using Pluma.FunctionalTests.Tls;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Http2;

/// <summary>
/// mod_http2 end to end (issue 15): <c>a2enmod http2</c> on the bundled tree (Debian's
/// http2.conf: <c>Protocols h2 h2c http/1.1</c>), then curl over h2c by prior knowledge and over
/// TLS with ALPN h2, on event and worker: static files with ranges and conditionals, a POST
/// body through a CGI, mod_status, the access log's <c>HTTP/2.0</c>. Under prefork HTTP/2 stays
/// off with Apache's AH10034 advisory.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class Http2ServingTests
{
    [Theory]
    [InlineData("event")]
    [InlineData("worker")]
    public void CleartextPriorKnowledgeServesFilesRangesConditionalsCgiAndStatus(string mpm)
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm(mpm);
        EnableHttp2(tree);
        string cgiBin = Path.Combine(tree.Top, "cgi-bin");
        Directory.CreateDirectory(cgiBin);
        string script = Path.Combine(cgiBin, "post.pl");
        File.WriteAllText(script, "#!/usr/bin/perl\nbinmode STDIN; local $/; my $b = <STDIN>; $b = '' unless defined $b;\nprint \"Content-Type: text/plain\\n\\n\", length($b), \" $ENV{SERVER_PROTOCOL}\";\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        tree.AppendToMainConfig("LoadModule cgid_module /usr/lib/apache2/modules/mod_cgid.so\nScriptSock " + Path.Combine(tree.Top, "cgisock") + "\n" +
            "ScriptAlias /cgi-bin/ " + cgiBin + "/\n<Directory \"" + cgiBin + "\">\nOptions +ExecCGI\nRequire all granted\n</Directory>\n");
        File.WriteAllText(Path.Combine(tree.DocumentRoot, "ten.txt"), "0123456789");
        byte[] big = new byte[1_500_000];
        new Random(15).NextBytes(big);
        File.WriteAllBytes(Path.Combine(tree.DocumentRoot, "big.bin"), big);
        using var server = PlumaServer.Start(tree);
        string url = "http://127.0.0.1:" + tree.Port;

        ProcessResult get = Curl("--http2-prior-knowledge", "-i", url + "/ten.txt");
        Assert.True(get.ExitCode == 0, get.Combined + tree.ErrorLog);
        Assert.StartsWith("HTTP/2 200", get.StandardOutput);
        Assert.Contains("\r\ncontent-length: 10\r\n", get.StandardOutput);
        Assert.EndsWith("\r\n\r\n0123456789", get.StandardOutput);
        string etag = Header(get.StandardOutput, "etag");

        ProcessResult range = Curl("--http2-prior-knowledge", "-r", "2-5", "-w", "|%{http_code}|%{http_version}", url + "/ten.txt");
        Assert.Equal("2345|206|2", range.StandardOutput);

        ProcessResult notModified = Curl("--http2-prior-knowledge", "-H", "If-None-Match: " + etag, "-w", "%{http_code}", url + "/ten.txt");
        Assert.Equal("304", notModified.StandardOutput);

        // Larger than every initial window: flow control carries it.
        string got = Path.Combine(tree.Top, "got.bin");
        ProcessResult file = Curl("--http2-prior-knowledge", "-o", got, "-w", "%{http_code}|%{http_version}", url + "/big.bin");
        Assert.Equal("200|2", file.StandardOutput);
        Assert.Equal(big, File.ReadAllBytes(got));

        string body = Path.Combine(tree.Top, "body.bin");
        File.WriteAllBytes(body, new byte[200_000]);
        ProcessResult post = Curl("--http2-prior-knowledge", "--data-binary", "@" + body, url + "/cgi-bin/post.pl");
        Assert.True(post.ExitCode == 0, post.Combined + tree.ErrorLog);
        Assert.Equal("200000 HTTP/2.0", post.StandardOutput);

        ProcessResult status = Curl("--http2-prior-knowledge", "-w", "|%{http_code}", url + "/server-status?auto");
        Assert.Contains("ServerMPM: " + mpm, status.StandardOutput);
        Assert.EndsWith("|200", status.StandardOutput);

        // HTTP/1.1 keeps working beside it.
        ProcessResult h1 = Curl("--http1.1", "-w", "|%{http_version}", url + "/ten.txt");
        Assert.Equal("0123456789|1.1", h1.StandardOutput);

        string access = WaitForAccessLog(tree, "\"GET /ten.txt HTTP/2.0\" 206 ");
        Assert.Contains("\"POST /cgi-bin/post.pl HTTP/2.0\" 200 ", access);
        Assert.Contains("\"GET /ten.txt HTTP/1.1\" 200 ", access);
    }

    [Theory]
    [InlineData("event")]
    [InlineData("worker")]
    public void TlsNegotiatesH2ByAlpn(string mpm)
    {
        using var tls = new TlsTree(mpm);
        EnableHttp2(tls.Tree);
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        tls.NamedSite("site.test", cert, key, "over h2\n");
        using var server = tls.Start();

        ProcessResult r = tls.Curl("site.test", "--http2", "-w", "|%{http_version}|%{http_code}", tls.Url("site.test", "/index.html"), tls.Url("site.test", "/index.html"));
        Assert.True(r.ExitCode == 0, r.Combined + tls.Tree.ErrorLog);
        Assert.Equal("over h2\n|2|200over h2\n|2|200", r.StandardOutput);

        ProcessResult h1 = tls.Curl("site.test", "--http1.1", "-w", "|%{http_version}", tls.Url("site.test", "/index.html"));
        Assert.Equal("over h2\n|1.1", h1.StandardOutput);
    }

    [Theory]
    [InlineData("event")]
    [InlineData("worker")]
    public void NghttpAndH2loadCompleteEveryRequest(string mpm)
    {
        Assert.True(File.Exists("/usr/bin/h2load"), "Debian's nghttp2-client must be installed (.ci/run does it)");
        using var tree = new TempConfTree();
        tree.SwitchMpm(mpm);
        EnableHttp2(tree);
        File.WriteAllText(Path.Combine(tree.DocumentRoot, "small.txt"), new string('x', 100));
        using var server = PlumaServer.Start(tree);
        string url = "http://127.0.0.1:" + tree.Port + "/small.txt";

        ProcessResult nghttp = ProcessRunner.Run("nghttp", ["-nv", url], timeoutMs: 30_000);
        Assert.True(nghttp.ExitCode == 0, nghttp.Combined);
        Assert.Contains("recv SETTINGS frame", nghttp.StandardOutput);
        Assert.Contains(":status: 200", nghttp.StandardOutput);

        // 100 streams at a time over 10 connections, bounded in count and time.
        ProcessResult load = ProcessRunner.Run("h2load", ["-n", "4000", "-c", "10", "-m", "10", "-T", "20", url], timeoutMs: 60_000);
        Assert.True(load.ExitCode == 0, load.Combined);
        Assert.Contains("requests: 4000 total, 4000 started, 4000 done, 4000 succeeded, 0 failed, 0 errored", load.StandardOutput);
        Assert.Contains("status codes: 4000 2xx", load.StandardOutput);
    }

    /// <summary>
    /// Issue 15, MPMs: a connection's streams run at once on the child's workers (mod_http2's
    /// h2_workers): six requests for a CGI that sleeps three seconds, all on one h2c connection,
    /// finish in about one sleep, not six; meanwhile server-status shows several workers busy with
    /// that script at once. With H2MaxWorkers 2 the same six take at least three sleeps, and
    /// server-status never shows more than two at a time.
    /// </summary>
    [Theory]
    [InlineData("event", null)]
    [InlineData("worker", null)]
    [InlineData("event", 2)]
    public void StreamsOfOneConnectionRunAtOnceOnTheChildsWorkers(string mpm, int? maxWorkers)
    {
        const int Streams = 6;
        const int SleepSeconds = 3;
        using var tree = new TempConfTree();
        tree.SwitchMpm(mpm);
        EnableHttp2(tree);
        string cgiBin = Path.Combine(tree.Top, "cgi-bin");
        Directory.CreateDirectory(cgiBin);
        string script = Path.Combine(cgiBin, "sleep.pl");
        File.WriteAllText(script, "#!/usr/bin/perl\nsleep " + SleepSeconds + ";\nprint \"Content-Type: text/plain\\n\\nslept\";\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        tree.AppendToMainConfig("LoadModule cgid_module /usr/lib/apache2/modules/mod_cgid.so\nScriptSock " + Path.Combine(tree.Top, "cgisock") + "\n" +
            "ScriptAlias /cgi-bin/ " + cgiBin + "/\n<Directory \"" + cgiBin + "\">\nOptions +ExecCGI\nRequire all granted\n</Directory>\n" +
            "ExtendedStatus On\n" + (maxWorkers is int w ? "H2MaxWorkers " + w + "\n" : ""));
        using var server = PlumaServer.Start(tree);
        string url = "http://127.0.0.1:" + tree.Port;

        // One connection (-c 1), all six streams opened at once (-m 6).
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var load = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("h2load", ["-n", Streams.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", "1", "-m", Streams.ToString(System.Globalization.CultureInfo.InvariantCulture), "-T", "60", url + "/cgi-bin/sleep.pl"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        int mostBusy = 0;
        string seen = "";
        while (!load.HasExited && watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            ProcessResult status = Curl("--http1.1", url + "/server-status");
            int busy = BusyRowsServing(status.StandardOutput, "/cgi-bin/sleep.pl");
            if (busy > mostBusy)
            {
                mostBusy = busy;
                seen = status.StandardOutput;
            }
        }

        Assert.True(load.WaitForExit(60_000), "h2load did not finish");
        watch.Stop();
        string text = load.StandardOutput.ReadToEnd(); // a few hundred bytes: the pipe held it
        Assert.True(load.ExitCode == 0, text + tree.ErrorLog);
        Assert.Contains("requests: 6 total, 6 started, 6 done, 6 succeeded, 0 failed, 0 errored", text);
        Assert.Contains("status codes: 6 2xx", text);
        if (maxWorkers is int limit)
        {
            // Never more than H2MaxWorkers at once: three waves of two.
            Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(SleepSeconds * Streams / limit - 0.5), "finished in " + watch.Elapsed + ", faster than " + (Streams / limit) + " waves");
            Assert.InRange(mostBusy, 1, limit);
        }
        else
        {
            // In series they would take Streams x SleepSeconds (18 s); at once about one sleep
            // (a loaded machine gets four times that, still far below the series).
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(SleepSeconds * 4), "six streams took " + watch.Elapsed + "\n" + text);
            Assert.True(mostBusy >= 2, "server-status never showed two workers on the script at once");

            // As Apache's server-status shows them: each stream's worker with the request as the
            // client sent it and the connection's protocol; the connection's own worker with
            // mod_http2's session line; an HTTP/1.1 request with http/1.1.
            Assert.Contains("<td>127.0.0.1</td><td>h2c</td><td nowrap>", seen);
            Assert.Contains("<td nowrap>GET /cgi-bin/sleep.pl HTTP/2.0</td>", seen);
            Assert.Matches(@"<td>h2c</td><td nowrap>[^<]*</td><td nowrap>\[\d+/\d+\] (read|schedule): stream \d+, ", seen);
            Assert.Contains("<td>http/1.1</td><td nowrap>", seen);
            Assert.Contains("<td nowrap>GET /server-status HTTP/1.1</td>", seen);
        }
    }

    /// <summary>
    /// Issue 15, negotiation: <c>Upgrade: h2c</c> on cleartext as Apache 2.4.71 answers it (RFC 7540
    /// 3.2): curl's upgrade gets 101 Switching Protocols and the file over HTTP/2 as stream 1, and the
    /// access log has both lines Apache writes (the 101 over HTTP/1.1, the 200 over HTTP/2.0). A request
    /// with a body, and a name-based virtual host whose Protocols leaves h2c out, stay on HTTP/1.1.
    /// </summary>
    [Theory]
    [InlineData("event")]
    [InlineData("worker")]
    public void UpgradeH2cSwitchesWhereProtocolsAllowsIt(string mpm)
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm(mpm);
        EnableHttp2(tree);
        File.WriteAllText(Path.Combine(tree.DocumentRoot, "ten.txt"), "0123456789");
        string plain = Path.Combine(tree.Top, "plain");
        Directory.CreateDirectory(plain);
        File.WriteAllText(Path.Combine(plain, "ten.txt"), "plain-vhost");
        string log = "CustomLog " + Path.Combine(tree.LogDir, "access.log") + " combined\n";
        tree.AppendToMainConfig("<VirtualHost *:" + tree.Port + ">\nServerName main.test\nDocumentRoot " + tree.DocumentRoot + "\n" + log + "</VirtualHost>\n" +
            "<VirtualHost *:" + tree.Port + ">\nServerName plain.test\nDocumentRoot " + plain + "\nProtocols http/1.1\n" + log + "</VirtualHost>\n<Directory " + plain + ">\nRequire all granted\n</Directory>\n");
        using var server = PlumaServer.Start(tree);
        string url = "http://127.0.0.1:" + tree.Port + "/ten.txt";

        ProcessResult up = Curl("--http2", "-v", "-H", "Host: main.test", "-w", "|%{http_version}|%{http_code}", url);
        Assert.True(up.ExitCode == 0, up.Combined + tree.ErrorLog);
        Assert.Contains("< HTTP/1.1 101 Switching Protocols", up.StandardError);
        Assert.Contains("< Upgrade: h2c", up.StandardError);
        Assert.Contains("< HTTP/2 200", up.StandardError);
        Assert.Equal("0123456789|2|200", up.StandardOutput);

        // The virtual host that leaves h2c out answers over HTTP/1.1.
        ProcessResult declined = Curl("--http2", "-H", "Host: plain.test", "-w", "|%{http_version}", url);
        Assert.Equal("plain-vhost|1.1", declined.StandardOutput);

        // A body is not upgraded (Apache: "upgrade with content-length: 10, declined").
        using (var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { ReceiveTimeout = 20_000 })
        {
            socket.Connect(System.Net.IPAddress.Loopback, tree.Port);
            socket.Send("POST /ten.txt HTTP/1.1\r\nHost: main.test\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\nContent-Length: 10\r\n\r\n0123456789"u8);
            byte[] answer = new byte[12];
            Assert.True(Fill(socket, answer));
            Assert.Equal("HTTP/1.1 200", System.Text.Encoding.ASCII.GetString(answer));
        }

        WaitForAccessLog(tree, "\"GET /ten.txt HTTP/2.0\" 200 ");
        string access = WaitForAccessLog(tree, "\"POST /ten.txt HTTP/1.1\" 200 ");
        Assert.Contains("\"GET /ten.txt HTTP/1.1\" 101 ", access);
    }

    /// <summary>
    /// Issue 15, MPMs: on event an idle HTTP/2 connection waits without a worker, as an idle
    /// HTTP/1.1 keep-alive connection does. A child with three workers keeps five h2c connections
    /// open and idle after one request each and still answers a sixth at once, with one busy worker
    /// (the status request itself); each idle one is closed at KeepAliveTimeout with GOAWAY
    /// NO_ERROR naming its last stream.
    /// </summary>
    [Fact]
    public void IdleConnectionsWaitWithoutAWorkerAndEndWithGoAway()
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm("event");
        EnableHttp2(tree);
        tree.AppendToMainConfig("StartServers 1\nServerLimit 1\nThreadLimit 3\nThreadsPerChild 3\nMinSpareThreads 1\nMaxSpareThreads 3\nMaxRequestWorkers 3\nKeepAliveTimeout 4\nExtendedStatus On\n");
        using var server = PlumaServer.Start(tree);

        var idle = new List<System.Net.Sockets.Socket>();
        try
        {
            for (int i = 0; i < 5; i++)
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp)
                {
                    ReceiveTimeout = 20_000,
                };
                idle.Add(socket);
                socket.Connect(System.Net.IPAddress.Loopback, tree.Port);
                // Preface, empty SETTINGS, and GET / on stream 1 (HEADERS with END_STREAM | END_HEADERS):
                // :method GET, :scheme http, :path / from the static table, :authority as a literal.
                byte[] block = [0x82, 0x86, 0x84, 0x41, 9, .. "127.0.0.1"u8];
                socket.Send([.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, (byte)block.Length, 1, 0x05, 0, 0, 0, 1, .. block]);
                Assert.True(ReadUntilEndOfStream(socket, 1), "connection " + i + ": no complete response on stream 1\n" + tree.ErrorLog);
            }

            // Five idle connections and three workers: a sixth client is served at once, and only
            // its own request holds a worker (HTTP/1.1: over h2 its connection would hold a second).
            // (A connection's worker looks up from its wait for frames every 200 ms while streams
            // run elsewhere, so the last one parks within that: poll.)
            ProcessResult status = Curl("--http1.1", "http://127.0.0.1:" + tree.Port + "/server-status?auto");
            for (int i = 0; i < 50 && status.ExitCode == 0 && !status.StandardOutput.Contains("BusyWorkers: 1\n", StringComparison.Ordinal); i++)
            {
                System.Threading.Thread.Sleep(100);
                status = Curl("--http1.1", "http://127.0.0.1:" + tree.Port + "/server-status?auto");
            }

            Assert.True(status.ExitCode == 0, status.Combined + tree.ErrorLog);
            Assert.True(status.StandardOutput.Contains("BusyWorkers: 1\n", StringComparison.Ordinal), status.StandardOutput);

            foreach (System.Net.Sockets.Socket socket in idle)
            {
                // Idle past KeepAliveTimeout: GOAWAY NO_ERROR, last stream 1, then the close.
                (int type, byte[] payload)? frame;
                do
                {
                    frame = ReadFrame(socket);
                }
                while (frame is { type: not 7 });

                Assert.NotNull(frame);
                Assert.Equal([0, 0, 0, 1, 0, 0, 0, 0], frame.Value.payload);
                Assert.Null(ReadFrame(socket));
            }
        }
        finally
        {
            foreach (System.Net.Sockets.Socket socket in idle)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>Frames until one with END_STREAM (flag 0x1) on HEADERS or DATA of <paramref name="stream"/>; false at close.</summary>
    private static bool ReadUntilEndOfStream(System.Net.Sockets.Socket socket, int stream)
    {
        byte[] head = new byte[9];
        while (true)
        {
            if (!Fill(socket, head))
            {
                return false;
            }

            int length = (head[0] << 16) | (head[1] << 8) | head[2];
            int id = ((head[5] & 0x7f) << 24) | (head[6] << 16) | (head[7] << 8) | head[8];
            if (!Fill(socket, new byte[length]))
            {
                return false;
            }

            if (id == stream && head[3] is 0 or 1 && (head[4] & 1) != 0)
            {
                return true;
            }
        }
    }

    private static (int Type, byte[] Payload)? ReadFrame(System.Net.Sockets.Socket socket)
    {
        byte[] head = new byte[9];
        if (!Fill(socket, head))
        {
            return null;
        }

        byte[] payload = new byte[(head[0] << 16) | (head[1] << 8) | head[2]];
        return Fill(socket, payload) ? (head[3], payload) : null;
    }

    private static bool Fill(System.Net.Sockets.Socket socket, byte[] buffer)
    {
        int got = 0;
        while (got < buffer.Length)
        {
            int n = socket.Receive(buffer, got, buffer.Length - got, System.Net.Sockets.SocketFlags.None);
            if (n == 0)
            {
                return false;
            }

            got += n;
        }

        return true;
    }

    /// <summary>Rows of server-status's worker table busy (R or W) with a request for <paramref name="path"/>.</summary>
    private static int BusyRowsServing(string page, string path)
    {
        int n = 0;
        foreach (string row in page.Split("<tr>"))
        {
            if (row.Contains(path, StringComparison.Ordinal) && (row.Contains("<b>W</b>", StringComparison.Ordinal) || row.Contains("<b>R</b>", StringComparison.Ordinal)))
            {
                n++;
            }
        }

        return n;
    }

    [Fact]
    public void PreforkKeepsHttp2OffWithApachesAdvisory()
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm("prefork");
        EnableHttp2(tree);
        using var server = PlumaServer.Start(tree);

        ProcessResult r = Curl("--http2", "-w", "|%{http_version}", "http://127.0.0.1:" + tree.Port + "/");
        Assert.EndsWith("|1.1", r.StandardOutput);
        Assert.Contains("[http2:warn]", tree.ErrorLog);
        Assert.Contains("AH10034: The mpm module (prefork.c) is not supported by mod_http2. The mpm determines how things are processed in your server. HTTP/2 has more demands in this regard and the currently selected mpm will just not do. This is an advisory warning. Your server will continue to work, but the HTTP/2 protocol will be inactive.", tree.ErrorLog);
    }

    [Theory]
    [InlineData("H2Push on", "PL00504: H2Push on: HTTP/2 server push is not built in Pluma")]
    [InlineData("H2SerializeHeaders on", "Invalid command 'H2SerializeHeaders'")]
    [InlineData("H2MaxSessionStreams 0", "H2MaxSessionStreams must be a number of at least 1")]
    public void DirectivesItDoesNotBuildAreRefusedWithFileAndLine(string line, string message)
    {
        using var tree = new TempConfTree();
        EnableHttp2(tree);
        tree.AppendToMainConfig("H2Direct on\nH2MaxWorkers 25\nH2MinWorkers 1\nH2WindowSize 65535\nH2StreamMaxMemSize 65536\nH2Push off\n" + line);
        ProcessResult ok = ProcessRunner.Run(RepositoryPaths.PlumaBinary, ["-d", tree.ConfDir, "-t"]);
        Assert.NotEqual(0, ok.ExitCode);
        Assert.Contains(message, ok.Combined);
        Assert.Contains("apache2.conf", ok.Combined);
    }

    private static void EnableHttp2(TempConfTree tree)
    {
        ProcessResult r = ProcessRunner.Run(Path.Combine(RepositoryPaths.Root, "bin", "a2enmod"), ["-q", "http2"], tree.AdminEnvironment);
        Assert.True(r.ExitCode == 0, r.Combined);
    }

    private static ProcessResult Curl(params string[] args) =>
        ProcessRunner.Run("curl", ["-sS", "--max-time", "20", .. args], timeoutMs: 30_000);

    private static string Header(string response, string name)
    {
        foreach (string line in response.Split("\r\n"))
        {
            if (line.StartsWith(name + ": ", StringComparison.Ordinal))
            {
                return line[(name.Length + 2)..];
            }
        }

        throw new Xunit.Sdk.XunitException("no " + name + " in " + response);
    }

    private static string WaitForAccessLog(TempConfTree tree, string expected)
    {
        string path = Path.Combine(tree.LogDir, "access.log");
        string text = "";
        for (int i = 0; i < 50; i++)
        {
            text = File.Exists(path) ? File.ReadAllText(path) : "";
            if (text.Contains(expected, StringComparison.Ordinal))
            {
                return text;
            }

            System.Threading.Thread.Sleep(100);
        }

        Assert.Contains(expected, text);
        return text;
    }
}
