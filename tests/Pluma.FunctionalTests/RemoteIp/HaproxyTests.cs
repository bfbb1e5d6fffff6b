using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.RemoteIp;

/// <summary>
/// Debian's HAProxy in front of two Pluma instances with RemoteIPProxyProtocol On (one sent the
/// PROXY protocol v1, the other v2, health checks with check-send-proxy): the client's address
/// is in both access logs, and a graceful-stop of one instance while a bounded client loop runs
/// loses no request (HAProxy's checks take it out, its retries and redispatch as an admin sets
/// them cover the requests that met the closing instance).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HaproxyTests
{
    // The client's own address: not HAProxy's (127.0.0.1), so the logs show which one they took.
    private static readonly IPAddress Client = IPAddress.Parse("127.0.0.7");

    private static TempConfTree Instance(string name)
    {
        var tree = new TempConfTree();
        tree.WriteConf(Path.Combine("sites-available", "000-default.conf"),
            $"<VirtualHost *:{tree.Port}>\n  DocumentRoot {tree.DocumentRoot}\n  ErrorLog ${{APACHE_LOG_DIR}}/error.log\n" +
            "  LogFormat \"" + name + " %a %{c}a \\\"%r\\\" %>s\" rip\n  CustomLog ${APACHE_LOG_DIR}/access.log rip\n</VirtualHost>\n");
        tree.AppendToMainConfig("LoadModule remoteip_module /usr/lib/apache2/modules/mod_remoteip.so\nRemoteIPProxyProtocol On\n");
        return tree;
    }

    private static string AccessLog(TempConfTree t)
    {
        string path = Path.Combine(t.LogDir, "access.log");
        return File.Exists(path) ? File.ReadAllText(path) : string.Empty;
    }

    private static int Get(int port, string target)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 15_000, SendTimeout = 15_000 };
        s.Bind(new IPEndPoint(Client, 0));
        s.Connect(new IPEndPoint(IPAddress.Loopback, port));
        s.Send(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
        var text = new StringBuilder();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = s.Receive(buffer)) > 0)
        {
            text.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }

        string t = text.ToString();
        return t.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && t.Length >= 12 ? int.Parse(t.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture) : -1;
    }

    [HaproxyFact]
    public void ClientAddressReachesBothLogsAndGracefulStopLosesNoRequest()
    {
        using TempConfTree t1 = Instance("one");
        using TempConfTree t2 = Instance("two");
        using PlumaServer p1 = PlumaServer.Start(t1);
        using PlumaServer p2 = PlumaServer.Start(t2);
        using var dir = new TempDirectory("pluma-haproxy-");
        int front = FreePort.Next();
        string cfg = Path.Combine(dir.Path, "haproxy.cfg");
        File.WriteAllText(cfg,
            "global\n  maxconn 256\n" +
            "defaults\n  mode http\n  timeout connect 2s\n  timeout client 15s\n  timeout server 15s\n" +
            "  retries 3\n  option redispatch 1\n  retry-on conn-failure empty-response response-timeout\n" +
            $"frontend fe\n  bind 127.0.0.1:{front}\n  default_backend be\n" +
            "backend be\n  balance roundrobin\n  option httpchk GET /\n  http-check expect status 200\n" +
            $"  server one 127.0.0.1:{t1.Port} send-proxy check check-send-proxy inter 200ms fall 1 rise 1\n" +
            $"  server two 127.0.0.1:{t2.Port} send-proxy-v2 check check-send-proxy inter 200ms fall 1 rise 1\n");
        var psi = new ProcessStartInfo(HaproxyFactAttribute.Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "-f", cfg, "-db" })
        {
            psi.ArgumentList.Add(a);
        }

        using Process haproxy = Process.Start(psi)!;
        var haproxyOutput = new StringBuilder();
        haproxy.ErrorDataReceived += (_, e) => { lock (haproxyOutput) { haproxyOutput.AppendLine(e.Data); } };
        haproxy.OutputDataReceived += (_, e) => { lock (haproxyOutput) { haproxyOutput.AppendLine(e.Data); } };
        haproxy.BeginErrorReadLine();
        haproxy.BeginOutputReadLine();
        try
        {
            // Both servers up: round robin sends every other request to each.
            var deadline = Stopwatch.StartNew();
            while (!(AccessLog(t1).Contains("one 127.0.0.7 ", StringComparison.Ordinal) && AccessLog(t2).Contains("two 127.0.0.7 ", StringComparison.Ordinal)))
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), "haproxy never used both servers: " + haproxyOutput);
                try
                {
                    Get(front, "/?warmup");
                }
                catch (SocketException)
                {
                }

                Thread.Sleep(100);
            }

            for (int i = 0; i < 6; i++)
            {
                Assert.Equal(200, Get(front, "/?n=" + i));
            }

            // %a is the client (from the PROXY header), %{c}a HAProxy's connection.
            Assert.Matches("one 127\\.0\\.0\\.7 127\\.0\\.0\\.1 \"GET /\\?n=\\d HTTP/1\\.1\" 200\n", AccessLog(t1));
            Assert.Matches("two 127\\.0\\.0\\.7 127\\.0\\.0\\.1 \"GET /\\?n=\\d HTTP/1\\.1\" 200\n", AccessLog(t2));

            // A bounded client loop (4 threads, 400 requests, 60 s at most); instance one stops gracefully a quarter in.
            const int total = 400;
            int next = 0, done = 0;
            var failures = new ConcurrentQueue<string>();
            var clock = Stopwatch.StartNew();
            Task[] clients = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) <= total && clock.Elapsed < TimeSpan.FromSeconds(60))
                {
                    try
                    {
                        int status = Get(front, "/?loop=" + i);
                        if (status != 200)
                        {
                            failures.Enqueue(i + ": status " + status);
                        }
                    }
                    catch (SocketException e)
                    {
                        failures.Enqueue(i + ": " + e.SocketErrorCode);
                    }

                    Interlocked.Increment(ref done);
                }
            })).ToArray();
            while (Volatile.Read(ref done) < total / 4 && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(10);
            }

            p1.Signal(NativeSignals.SIGWINCH); // what -k graceful-stop sends
            Assert.True(Task.WaitAll(clients, TimeSpan.FromSeconds(90)), "the client loop did not end");
            Assert.True(p1.WaitForExit(30_000), "instance one did not stop");
            Assert.Equal(total, Volatile.Read(ref done));
            Assert.True(failures.IsEmpty, string.Join("\n", failures) + "\n" + haproxyOutput);

            // Every request was served and logged once, most of the later ones by instance two.
            int Count(TempConfTree t) => AccessLog(t).Split('\n').Count(l => l.Contains("/?loop=", StringComparison.Ordinal) && l.EndsWith(" 200", StringComparison.Ordinal));
            Assert.True(Count(t1) + Count(t2) >= total, $"logged {Count(t1)} + {Count(t2)} of {total}");
            Assert.True(Count(t2) > total / 2, $"instance two served {Count(t2)} of {total}");
        }
        finally
        {
            if (!haproxy.HasExited)
            {
                haproxy.Kill();
                haproxy.WaitForExit(5000);
            }
        }
    }
}
