using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Crash containment (issue 9): a module that throws costs its own request only. mod_fault
/// (Pluma's diagnostic module) throws in its handler before the head, after the head, and in
/// its log hook; it also sets a header from the client's query. Each faulty request gets a 500
/// (or a closed connection once the head had gone out) and an error-log line, while a
/// keep-alive connection opened before it goes on being served, new connections are served,
/// and the child that served the fault is the same process afterwards, on every MPM.
/// </summary>
public sealed class CrashContainmentTests
{
    private const string Faults =
        "LoadModule fault_module mod_fault.so\n" +
        "<Location /fault>\n    SetHandler pluma-fault\n</Location>\n" +
        "<Location /fault-after-head>\n    SetHandler pluma-fault-after-head\n</Location>\n" +
        "<Location /fault-log>\n    SetHandler pluma-fault-log\n</Location>\n" +
        "<Location /fault-header>\n    SetHandler pluma-fault-header\n</Location>\n" +
        "LogFormat \"%P %>s %U\" pids\n";

    // One child for the threaded MPMs, so the keep-alive connection and the faulty requests
    // share a process; prefork keeps its children (no maintenance churn to blur the pids).
    private static readonly Dictionary<string, string> s_mpmConf = new(StringComparer.Ordinal)
    {
        ["event"] = "StartServers 1\nServerLimit 1\nMinSpareThreads 1\nMaxSpareThreads 25\nThreadLimit 25\nThreadsPerChild 25\nMaxRequestWorkers 25\nMaxConnectionsPerChild 0\n",
        ["worker"] = "StartServers 1\nServerLimit 1\nMinSpareThreads 1\nMaxSpareThreads 25\nThreadLimit 25\nThreadsPerChild 25\nMaxRequestWorkers 25\nMaxConnectionsPerChild 0\n",
        ["prefork"] = "StartServers 3\nMinSpareServers 1\nMaxSpareServers 10\nMaxRequestWorkers 10\nMaxConnectionsPerChild 0\n",
    };

    [Theory]
    [InlineData("prefork")]
    [InlineData("worker")]
    [InlineData("event")]
    public void AModuleThatThrowsCostsOneRequestNotTheChildOrItsOtherConnections(string mpm)
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm(mpm);
        tree.WriteConf("mods-available/mpm_" + mpm + ".conf", s_mpmConf[mpm]);
        tree.AppendToMainConfig(Faults);
        string site = Path.Combine(tree.ConfDir, "sites-available", "000-default.conf");
        File.WriteAllText(site, File.ReadAllText(site).Replace(
            "\tCustomLog ${APACHE_LOG_DIR}/access.log combined\n",
            "\tCustomLog ${APACHE_LOG_DIR}/access.log combined\n\tCustomLog ${APACHE_LOG_DIR}/pids.log pids\n",
            StringComparison.Ordinal));
        using var server = PlumaServer.Start(tree);
        IReadOnlyList<int> childrenBefore = WaitForChildren(server.Pid, mpm == "prefork" ? 3 : 1);

        using var kept = new RawHttp(tree.Port);
        Assert.Equal(200, Get(kept, "/", keepAlive: true).Status);

        // Before the head: Apache's 500 page, the connection closes, PL00008 in the log.
        using (var c = new RawHttp(tree.Port))
        {
            HttpResponseText r = Get(c, "/fault", keepAlive: true);
            Assert.Equal(500, r.Status);
            Assert.Contains("<title>500 Internal Server Error</title>", r.BodyText, StringComparison.Ordinal);
            Assert.Equal("close", r.Header("Connection"));
        }

        Assert.Equal(200, Get(kept, "/", keepAlive: true).Status);

        // After the head: the response cannot be completed, so the connection just closes
        // (no last chunk), and the child goes on.
        using (var c = new RawHttp(tree.Port))
        {
            c.Send("GET /fault-after-head HTTP/1.1\r\nHost: localhost\r\n\r\n");
            string all = c.ReadToEnd();
            Assert.StartsWith("HTTP/1.1 200 OK\r\n", all, StringComparison.Ordinal);
            Assert.Contains("Transfer-Encoding: chunked\r\n", all, StringComparison.Ordinal);
            Assert.False(all.EndsWith("0\r\n\r\n", StringComparison.Ordinal), "a response whose handler failed must not look complete");
        }

        // In the log hook: the client had its answer; the error is logged, the connection lives.
        using (var c = new RawHttp(tree.Port))
        {
            Assert.Equal(200, Get(c, "/fault-log", keepAlive: true).Status);
            Assert.Equal(200, Get(c, "/", keepAlive: true).Status);
        }

        // A header carrying the client's CR LF: refused by the head writer (AH02430), 500.
        using (var c = new RawHttp(tree.Port))
        {
            c.Send("GET /fault-header?%0d%0aSet-Cookie:%20evil=1 HTTP/1.1\r\nHost: localhost\r\n\r\n");
            string all = c.ReadToEnd();
            Assert.StartsWith("HTTP/1.1 500 Internal Server Error\r\n", all, StringComparison.Ordinal);
            Assert.DoesNotContain("Set-Cookie", all, StringComparison.Ordinal);
        }

        Assert.Equal(200, Get(kept, "/", keepAlive: true).Status);
        using (var fresh = new RawHttp(tree.Port))
        {
            Assert.Equal(200, Get(fresh, "/", keepAlive: false).Status);
        }

        string[] log = WaitFor(() => tree.ErrorLog.Split('\n'), l => l.Count(x => x.Contains("PL00008", StringComparison.Ordinal)) >= 2 && l.Any(x => x.Contains("PL00007", StringComparison.Ordinal)) && l.Any(x => x.Contains("AH02430", StringComparison.Ordinal)));
        Assert.Contains(log, l => l.Contains("[http:error]", StringComparison.Ordinal) && l.EndsWith("PL00008: The request handler failed: mod_fault: pluma-fault handler threw before any output", StringComparison.Ordinal));
        Assert.Contains(log, l => l.EndsWith("PL00008: The request handler failed: mod_fault: pluma-fault-after-head handler threw after the head went out", StringComparison.Ordinal));
        Assert.Contains(log, l => l.EndsWith("PL00007: The log hook failed: mod_fault: pluma-fault-log log hook threw", StringComparison.Ordinal));
        Assert.Contains(log, l => l.EndsWith("AH02430: Response header 'X-Pluma-Fault' value of '\\r\\nSet-Cookie: evil=1' contains invalid characters, aborting request", StringComparison.Ordinal));
        Assert.DoesNotContain(log, l => l.Contains("AH00052", StringComparison.Ordinal) || l.Contains("PL00006", StringComparison.Ordinal) || l.Contains("PL00101", StringComparison.Ordinal));

        // Every faulty request was served by a child that is still there, the same process.
        List<(int Pid, string Status, string Path)> served = WaitFor(() => Pids(tree), p => p.Count(x => !x.Path.StartsWith("/fault", StringComparison.Ordinal)) >= 5 && p.Count(x => x.Path.StartsWith("/fault", StringComparison.Ordinal)) >= 4);
        int[] faultPids = served.Where(s => s.Path.StartsWith("/fault", StringComparison.Ordinal)).Select(s => s.Pid).Distinct().ToArray();
        Assert.Equal(4, served.Count(s => s.Path.StartsWith("/fault", StringComparison.Ordinal)));
        Assert.Contains(served, s => s.Path == "/fault" && s.Status == "500");
        IReadOnlyList<int> childrenAfter = ProcFs.Children(server.Pid);
        foreach (int pid in faultPids)
        {
            Assert.Contains(pid, childrenAfter);
            Assert.Contains(pid, childrenBefore);
        }

        if (mpm != "prefork")
        {
            // One child: the kept connection's requests, before and after, came from the process that threw.
            Assert.Equal(childrenBefore, childrenAfter);
            Assert.All(served, s => Assert.Equal(childrenBefore[0], s.Pid));
        }

        Assert.False(server.HasExited);
    }

    private static HttpResponseText Get(RawHttp c, string path, bool keepAlive)
    {
        c.Send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + (keepAlive ? string.Empty : "Connection: close\r\n") + "\r\n");
        return c.ReadResponse();
    }

    private static List<(int Pid, string Status, string Path)> Pids(TempConfTree tree)
    {
        string path = Path.Combine(tree.LogDir, "pids.log");
        if (!File.Exists(path))
        {
            return [];
        }

        return File.ReadAllLines(path)
            .Select(l => l.Split(' '))
            .Where(p => p.Length == 3)
            .Select(p => (int.Parse(p[0], CultureInfo.InvariantCulture), p[1], p[2]))
            .ToList();
    }

    private static IReadOnlyList<int> WaitForChildren(int parent, int count)
    {
        IReadOnlyList<int> children = WaitFor(() => ProcFs.Children(parent), c => c.Count >= count, 15_000);
        Assert.True(children.Count >= count, $"{children.Count} children, wanted {count}");
        return children;
    }

    private static T WaitFor<T>(Func<T> read, Func<T, bool> done, int timeoutMs = 10_000)
    {
        var sw = Stopwatch.StartNew();
        T value = read();
        while (!done(value) && sw.ElapsedMilliseconds < timeoutMs)
        {
            Thread.Sleep(50);
            value = read();
        }

        return value;
    }
}
