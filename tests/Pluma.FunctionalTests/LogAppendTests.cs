using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Several children write the same logs: every line of every process must arrive, whole. The
/// error log was opened without O_APPEND (.NET's FileMode.Append writes at its own offset), so
/// children overwrote each other's lines: 247 of 300 AH01630 lines survived 6 parallel clients.
/// Apache opens its logs APR_APPEND (O_APPEND) and loses none.
/// </summary>
public sealed class LogAppendTests
{
    private const int Clients = 8;
    private const int RequestsPerClient = 200;

    [Theory]
    [InlineData("prefork", "StartServers 6\nMinSpareServers 6\nMaxSpareServers 12\nMaxRequestWorkers 20\n")]
    // Two threads a child and AsyncRequestWorkerFactor 1: a child takes at most four connections, so eight spread over several.
    [InlineData("event", "StartServers 4\nServerLimit 4\nThreadsPerChild 2\nMinSpareThreads 2\nMaxSpareThreads 8\nMaxRequestWorkers 8\nAsyncRequestWorkerFactor 1\n")]
    public void EveryLineOfParallelChildrenReachesTheErrorLogAndTheAccessLogs(string mpm, string mpmConf)
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm(mpm);
        tree.WriteConf("mods-available/mpm_" + mpm + ".conf", mpmConf);
        // A denied folder: every request logs AH01630 to the error log, as in the review.
        tree.AppendToMainConfig("MaxKeepAliveRequests 0\n<Directory ${PLUMA_WWW}/html/priv>\nRequire all denied\n</Directory>");
        Directory.CreateDirectory(Path.Combine(tree.DocumentRoot, "priv"));
        // The default site has its CustomLog (combined); a TransferLog (default format) beside it.
        string site = Path.Combine(tree.ConfDir, "sites-available", "000-default.conf");
        File.WriteAllText(site, File.ReadAllText(site).Replace("</VirtualHost>", "\tTransferLog ${APACHE_LOG_DIR}/transfer.log\n</VirtualHost>", StringComparison.Ordinal));
        using var server = PlumaServer.Start(tree);
        int expectedChildren = mpm == "prefork" ? 6 : 4;
        Assert.True(SpinWait.SpinUntil(() => ProcFs.Children(server.Pid).Count >= expectedChildren, 20_000), "the children did not start");

        Parallel.For(0, Clients, new ParallelOptions { MaxDegreeOfParallelism = Clients }, c =>
        {
            using var client = new PipelinedClient(tree.Port);
            var requests = Enumerable.Range(0, RequestsPerClient).Select(i => PipelinedClient.Get($"/priv/c{c}-r{i}.txt", "logtest")).ToList();
            List<int> statuses = client.Exchange(requests, depth: 10);
            Assert.All(statuses, s => Assert.Equal(403, s));
        });

        // Error log: one AH01630 line per request, each whole (Apache's format, log.c).
        var denied = new Regex(@"^\[\w{3} \w{3} \d\d \d\d:\d\d:\d\d\.\d{6} \d{4}\] \[authz_core:error\] \[pid (?<pid>\d+):tid \d+\] \[client 127\.0\.0\.1:\d+\] AH01630: client denied by server configuration: .*/www/html/priv/c(?<c>\d+)-r(?<r>\d+)\.txt$", RegexOptions.None, TimeSpan.FromSeconds(1));
        AssertEachRequestLoggedOnce(Path.Combine(tree.LogDir, "error.log"), denied, allowOtherLines: true);
        // Several children wrote it (else there was no race to lose).
        int writers = File.ReadLines(Path.Combine(tree.LogDir, "error.log")).Select(l => denied.Match(l)).Where(m => m.Success).Select(m => m.Groups["pid"].Value).Distinct().Count();
        Assert.True(writers >= 2, "only " + writers + " child wrote the denied lines");

        // CustomLog combined and TransferLog (the default format, common's).
        AssertEachRequestLoggedOnce(
            Path.Combine(tree.LogDir, "access.log"),
            new Regex(@"^127\.0\.0\.1 - - \[[^\]]+\] ""GET /priv/c(?<c>\d+)-r(?<r>\d+)\.txt HTTP/1\.1"" 403 \d+ ""-"" ""logtest""$", RegexOptions.None, TimeSpan.FromSeconds(1)),
            allowOtherLines: false);
        AssertEachRequestLoggedOnce(
            Path.Combine(tree.LogDir, "transfer.log"),
            new Regex(@"^127\.0\.0\.1 - - \[[^\]]+\] ""GET /priv/c(?<c>\d+)-r(?<r>\d+)\.txt HTTP/1\.1"" 403 \d+$", RegexOptions.None, TimeSpan.FromSeconds(1)),
            allowOtherLines: false);
    }

    /// <summary>
    /// Waits (the log phase runs after the response went out) until the file has a line per
    /// request, then checks that every (client, request) pair is there exactly once and that
    /// every other line still has the log's shape (no torn or glued lines).
    /// </summary>
    private static void AssertEachRequestLoggedOnce(string file, Regex line, bool allowOtherLines)
    {
        string[] lines = [];
        var sw = Stopwatch.StartNew();
        while (sw.ElapsedMilliseconds < 15_000)
        {
            lines = File.Exists(file) ? File.ReadAllLines(file) : [];
            if (lines.Count(l => line.IsMatch(l)) >= Clients * RequestsPerClient)
            {
                break;
            }

            Thread.Sleep(100);
        }

        var seen = new HashSet<(int, int)>();
        var errorLine = new Regex(@"^\[\w{3} \w{3} \d\d \d\d:\d\d:\d\d\.\d{6} \d{4}\] \[\w+:\w+\] \[pid \d+(:tid \d+)?\] [^\[]", RegexOptions.None, TimeSpan.FromSeconds(1));
        foreach (string l in lines)
        {
            Match m = line.Match(l);
            if (m.Success)
            {
                Assert.True(seen.Add((int.Parse(m.Groups["c"].Value), int.Parse(m.Groups["r"].Value))), "logged twice: " + l);
            }
            else
            {
                Assert.True(allowOtherLines && errorLine.IsMatch(l), Path.GetFileName(file) + " has a malformed line: " + l);
            }
        }

        Assert.Equal(Clients * RequestsPerClient, seen.Count);
    }
}
