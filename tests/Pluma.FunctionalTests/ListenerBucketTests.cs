using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// ListenCoresBucketsRatio on the real binary: with ratio 1 there are as many listener
/// buckets as online cores (2 on the project's machine); the kernel shows one listening
/// socket per bucket for the port, the parent holds them all, every child holds exactly its
/// own bucket's, and children of every bucket serve requests.
/// </summary>
public sealed class ListenerBucketTests
{
    [Theory]
    [InlineData("worker", 2)]
    [InlineData("event", 2)]
    [InlineData("prefork", 5)]
    public void EachBucketHasItsOwnListeningSocketAndItsOwnChildren(string mpm, int startServers)
    {
        int buckets = Math.Max(1, ProcFs.OnlineCpus());
        using var tree = new TempConfTree();
        tree.SwitchMpm(mpm);
        tree.AppendToMainConfig("ListenCoresBucketsRatio 1");
        // Which child served each request: %P in a log of the default site.
        string site = Path.Combine(tree.ConfDir, "sites-available", "000-default.conf");
        File.WriteAllText(site, File.ReadAllText(site).Replace("</VirtualHost>", "\tCustomLog ${APACHE_LOG_DIR}/pids.log \"%P\"\n</VirtualHost>", StringComparison.Ordinal));
        using var server = PlumaServer.Start(tree, ["-e", "info"]);
        // The server's output is read asynchronously: wait for the line rather than race it.
        string announced = $"[core:info] [pid {server.Pid}:tid {server.Pid}] AH02819: Using {buckets} listeners bucket(s) based on {buckets} online CPU cores and a ratio of 1";
        Poll.Until(() => server.Output, o => o.Contains(announced, StringComparison.Ordinal), "AH02819 in the output");
        // A child counts once it has exec'd (its environment names its bucket and slot).
        IReadOnlyList<int> children = Poll.Until(
            () => ProcFs.Children(server.Pid),
            c => c.Count >= Math.Max(startServers, buckets) && c.All(child => ProcFs.EnvironmentVariable(child, "PLUMA_MPM_SLOT") is not null),
            "the children");

        IReadOnlySet<long> listening = ProcFs.ListeningSocketInodes(tree.Port);
        Assert.Equal(buckets, listening.Count);
        Assert.Subset(ProcFs.SocketInodes(server.Pid).ToHashSet(), listening.ToHashSet());

        // Every child holds exactly one of them: the one of its bucket (slot % buckets).
        var socketOfBucket = new Dictionary<int, long>();
        var bucketOfChild = new Dictionary<int, int>();
        foreach (int child in children)
        {
            long[] held = [.. ProcFs.SocketInodes(child).Where(listening.Contains)];
            Assert.Single(held);
            int bucket = int.Parse(ProcFs.EnvironmentVariable(child, "PLUMA_MPM_BUCKET")!, System.Globalization.CultureInfo.InvariantCulture);
            int slot = int.Parse(ProcFs.EnvironmentVariable(child, "PLUMA_MPM_SLOT")!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(slot % buckets, bucket);
            if (socketOfBucket.TryGetValue(bucket, out long inode))
            {
                Assert.Equal(inode, held[0]);
            }
            else
            {
                socketOfBucket[bucket] = held[0];
            }

            bucketOfChild[child] = bucket;
        }

        Assert.Equal(buckets, socketOfBucket.Count);
        Assert.Equal(buckets, socketOfBucket.Values.Distinct().Count());

        // New connections are spread over the sockets by the kernel: every bucket serves.
        const int requests = 40;
        for (int i = 0; i < requests; i++)
        {
            using var http = new RawHttp(tree.Port);
            http.Send("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            Assert.Equal(200, http.ReadResponse().Status);
        }

        string pidsLog = Path.Combine(tree.LogDir, "pids.log");
        string[] servedBy = Poll.Until(() => File.Exists(pidsLog) ? File.ReadAllLines(pidsLog) : [], l => l.Length >= requests, "the access log");
        HashSet<int> servingBuckets = [.. servedBy.Select(p => bucketOfChild[int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)])];
        Assert.Equal(buckets, servingBuckets.Count);
        Assert.Equal(mpm, ServerStatus.Auto(tree.Port)["ServerMPM"]);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("abc")]
    public void ARatioBelowOneIsRefused(string value)
    {
        using var tree = new TempConfTree();
        tree.AppendToMainConfig("ListenCoresBucketsRatio " + value);
        int line = File.ReadAllLines(Path.Combine(tree.ConfDir, "apache2.conf")).Length;
        ProcessResult r = Pluma.OnTree(tree, "-t");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"AH00526: Syntax error on line {line} of {tree.ConfDir}/apache2.conf:\nListenCoresBucketsRatio must be > 0\n", r.StandardError);
    }

    [Fact]
    public void TheRatioIsAServerWideDirective()
    {
        using var tree = new TempConfTree();
        tree.AppendToMainConfig("<VirtualHost *:80>\nListenCoresBucketsRatio 2\n</VirtualHost>");
        ProcessResult r = Pluma.OnTree(tree, "-t");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("ListenCoresBucketsRatio cannot occur within <VirtualHost> section", r.StandardError);
    }
}
