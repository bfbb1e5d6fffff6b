using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Slow clients (issue 9, "slow clients cost no service"): a request head that arrives slowly
/// holds no event worker, so a slowloris does not lock normal clients out; mod_reqtimeout still
/// closes the slow ones (408 and AH01382 once a request line is in, a silent close before);
/// and a head split anywhere is served. prefork and worker hold the connection on their
/// thread, as Apache's do, and must still serve and time out the same way.
/// </summary>
public sealed class SlowClientTests
{
    // One child, four workers: 200 slow clients would take every worker fifty times over if a
    // connection waiting for its head held one.
    private const string FourWorkers = """
        StartServers            1
        ServerLimit             1
        ThreadLimit             4
        ThreadsPerChild         4
        MinSpareThreads         1
        MaxSpareThreads         4
        MaxRequestWorkers       4
        MaxConnectionsPerChild  0
        """;

    [Fact]
    public void EventServesNormalClientsThroughASlowloris()
    {
        using var tree = SlowTree("event", "header=5-10,MinRate=500");
        tree.WriteConf("mods-available/mpm_event.conf", FourWorkers);
        using var server = PlumaServer.Start(tree);

        // 200 clients that send a request line, then a 1000-byte header line every 2 s: MinRate
        // (500 bytes a second) extends their deadline as fast as it runs, up to the maximum (10 s).
        var slow = new List<Socket>();
        var started = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        Thread? dribbler = null;
        try
        {
            for (int i = 0; i < 200; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = 30_000 };
                s.Connect(new IPEndPoint(IPAddress.Loopback, tree.Port));
                s.Send(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: localhost\r\n"));
                slow.Add(s);
            }

            byte[] line = Encoding.ASCII.GetBytes("X-Slow: " + new string('a', 990) + "\r\n");
            dribbler = new Thread(() =>
            {
                while (!stop.Token.WaitHandle.WaitOne(2_000))
                {
                    foreach (Socket s in slow)
                    {
                        try
                        {
                            s.Send(line);
                        }
                        catch (SocketException)
                        {
                            // closed by the server's timeout: what the second half of the test checks
                        }
                    }
                }
            })
            { IsBackground = true };
            dribbler.Start();

            // A normal client is answered at once, again and again, while the 200 wait.
            long worstMs = 0;
            var probing = Stopwatch.StartNew();
            while (probing.ElapsedMilliseconds < 6_000)
            {
                var one = Stopwatch.StartNew();
                using (var c = new RawHttp(tree.Port, timeoutMs: 5_000))
                {
                    c.Send("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
                    Assert.Equal(200, c.ReadResponse().Status);
                }

                worstMs = Math.Max(worstMs, one.ElapsedMilliseconds);
                Thread.Sleep(250);
            }

            Assert.True(worstMs < 1_500, $"a normal client waited {worstMs} ms behind the slowloris");
            Dictionary<string, string> status = ServerStatus.Auto(tree.Port);
            Assert.True(status.Int("BusyWorkers") <= 2, $"BusyWorkers {status["BusyWorkers"]} with 200 slow heads");
            Assert.True(status.Int("ConnsAsyncKeepAlive") >= 150, $"ConnsAsyncKeepAlive {status["ConnsAsyncKeepAlive"]}: the waiting heads are counted there");

            // mod_reqtimeout closes them all by the header maximum (10 s), each with a 408.
            int timedOut = 0;
            foreach (Socket s in slow)
            {
                string answer = ReadToEnd(s);
                if (answer.StartsWith("HTTP/1.1 408 Request Timeout\r\n", StringComparison.Ordinal))
                {
                    timedOut++;
                }
            }

            Assert.Equal(200, timedOut);
            Assert.True(started.ElapsedMilliseconds < 25_000, $"the slow clients were closed after {started.ElapsedMilliseconds} ms");
            Assert.Contains("AH01382: Request header read timeout", WaitForLog(tree, "AH01382"), StringComparison.Ordinal);
        }
        finally
        {
            stop.Cancel();
            dribbler?.Join();
            foreach (Socket s in slow)
            {
                s.Dispose();
            }
        }
    }

    [Theory]
    [InlineData("prefork")]
    [InlineData("worker")]
    [InlineData("event")]
    public void AHeadSplitAtEveryStageIsServed(string mpm)
    {
        using var tree = SlowTree(mpm, "header=20-40,MinRate=500");
        using var server = PlumaServer.Start(tree);
        using var c = new RawHttp(tree.Port);

        // Cut inside the request line, after it, inside a field, between the CRs and LFs of the
        // blank line, then a pipelined second request cut the same way.
        string[] pieces =
        [
            "GE", "T / HT", "TP/1.1\r", "\nHo", "st: local", "host\r\n", "Accept: */*\r", "\n\r", "\nGET /miss", "ing HTTP/1.1\r\nHost: l",
            "ocalhost\r\n", "\r", "\n",
        ];
        foreach (string piece in pieces)
        {
            c.Send(piece);
            Thread.Sleep(120);
        }

        HttpResponseText first = c.ReadResponse();
        Assert.Equal(200, first.Status);
        HttpResponseText second = c.ReadResponse();
        Assert.Equal(404, second.Status);

        // The connection is still usable: a third request in one piece.
        c.Send("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        Assert.Equal(200, c.ReadResponse().Status);
    }

    [Theory]
    [InlineData("prefork")]
    [InlineData("worker")]
    [InlineData("event")]
    public void SlowHeadsAreTimedOutAsModReqtimeoutDoes(string mpm)
    {
        using var tree = SlowTree(mpm, "header=2-3,MinRate=500");
        // The silent connection below is about an accepted connection that sends nothing: with
        // the default AcceptFilter (TCP_DEFER_ACCEPT) the kernel would hold it unaccepted for
        // 30 s, as Apache's, and no timeout of the server's would start.
        tree.AppendToMainConfig("AcceptFilter http none");
        using var server = PlumaServer.Start(tree);

        // A request line and part of the header section: 408 and AH01382 once the 2 s are up.
        using var partial = new RawHttp(tree.Port, timeoutMs: 15_000);
        // Nothing at all: closed without a word.
        using var silent = new RawHttp(tree.Port, timeoutMs: 15_000);
        // A keep-alive connection whose second request stops half way.
        using var keptAlive = new RawHttp(tree.Port, timeoutMs: 15_000);
        var sw = Stopwatch.StartNew();
        partial.Send("GET / HTTP/1.1\r\nHost: loc");
        keptAlive.Send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Assert.Equal(200, keptAlive.ReadResponse().Status);
        keptAlive.Send("GET / HTTP/1.1\r\nHo");

        string answer = partial.ReadToEnd();
        Assert.StartsWith("HTTP/1.1 408 Request Timeout\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("Connection: close\r\n", answer, StringComparison.Ordinal);
        Assert.True(sw.ElapsedMilliseconds is > 1_500 and < 10_000, $"408 after {sw.ElapsedMilliseconds} ms");
        Assert.StartsWith("HTTP/1.1 408 Request Timeout\r\n", keptAlive.ReadToEnd(), StringComparison.Ordinal);
        Assert.Equal("", silent.ReadToEnd());
        Assert.True(sw.ElapsedMilliseconds < 12_000, $"the silent connection was closed after {sw.ElapsedMilliseconds} ms");
        Assert.Contains("[reqtimeout:info]", WaitForLog(tree, "AH01382: Request header read timeout"), StringComparison.Ordinal);

        // And the server goes on serving.
        using var c = new RawHttp(tree.Port);
        c.Send("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        Assert.Equal(200, c.ReadResponse().Status);
    }

    private static TempConfTree SlowTree(string mpm, string headerTimeout)
    {
        var tree = new TempConfTree();
        tree.SwitchMpm(mpm);
        tree.AppendToMainConfig("RequestReadTimeout " + headerTimeout + "\nLogLevel warn reqtimeout:info");
        return tree;
    }

    private static string ReadToEnd(Socket s)
    {
        var text = new StringBuilder();
        var buf = new byte[4096];
        try
        {
            int n;
            while ((n = s.Receive(buf)) > 0)
            {
                text.Append(Encoding.Latin1.GetString(buf, 0, n));
            }
        }
        catch (SocketException)
        {
        }

        return text.ToString();
    }

    private static string WaitForLog(TempConfTree tree, string needle)
    {
        var sw = Stopwatch.StartNew();
        string log = tree.ErrorLog;
        while (!log.Contains(needle, StringComparison.Ordinal) && sw.ElapsedMilliseconds < 10_000)
        {
            Thread.Sleep(100);
            log = tree.ErrorLog;
        }

        return log;
    }
}
