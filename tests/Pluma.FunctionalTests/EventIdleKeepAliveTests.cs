using System.Collections.Generic;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Idle keep-alive connections on event. Apache's accept limit per child (event.c
/// connections_above_limit: ThreadsPerChild + idle workers x AsyncRequestWorkerFactor) counts
/// them although they hold no worker, so a child with 2 threads holds 6 and a new client waits
/// in the backlog. Pluma's KeepAliveOutsideAsyncLimit (On by default) leaves them out: the
/// child holds thousands and still answers a new client; Off keeps Apache's count.
/// </summary>
public sealed partial class EventIdleKeepAliveTests
{
    private const string TwoWorkers = ThreadedMpmBlocks.OneChildTwoWorkers;

    private const string Request = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";

    [Fact]
    public void ThousandsOfIdleKeepAliveConnectionsAreHeldAndANewClientIsAnswered()
    {
        int n = RaiseDescriptorLimit(2_000);
        using var tree = Tree("KeepAliveTimeout 120");
        using var server = PlumaServer.Start(tree);
        var idle = new List<RawHttp>(n);
        try
        {
            for (int i = 0; i < n; i++)
            {
                var c = new RawHttp(tree.Port, timeoutMs: 20_000);
                idle.Add(c);
                c.Send(Request);
                Assert.Equal(200, c.ReadResponse().Status);
            }

            // The server holds them all (the status request is a connection of its own). The last
            // client can have its response just before its connection is parked and counted, and a
            // status request accepted with its request in (TCP_DEFER_ACCEPT) can be served in that
            // moment: ask again for a few seconds before failing.
            Dictionary<string, string> status = ServerStatus.Auto(tree.Port);
            var counting = System.Diagnostics.Stopwatch.StartNew();
            while (status.Int("ConnsAsyncKeepAlive") < n && counting.ElapsedMilliseconds < 5_000)
            {
                System.Threading.Thread.Sleep(100);
                status = ServerStatus.Auto(tree.Port);
            }

            Assert.True(status.Int("ConnsAsyncKeepAlive") >= n, $"{status["ConnsAsyncKeepAlive"]} of {n} idle connections held");

            // ... answers a new client on a one-child server...
            using (var fresh = new RawHttp(tree.Port, timeoutMs: 20_000))
            {
                fresh.Send(Request);
                Assert.Equal(200, fresh.ReadResponse().Status);
            }

            // ... and every idle one can still send its next request.
            foreach (int i in new[] { 0, n / 2, n - 1 })
            {
                idle[i].Send(Request);
                Assert.Equal(200, idle[i].ReadResponse().Status);
            }
        }
        finally
        {
            foreach (RawHttp c in idle)
            {
                c.Dispose();
            }
        }
    }

    [Fact]
    public void OffCountsIdleKeepAliveConnectionsAsApacheDoes()
    {
        using var tree = Tree("KeepAliveTimeout 120\nKeepAliveOutsideAsyncLimit Off");
        using var server = PlumaServer.Start(tree);
        // ThreadsPerChild 2 + 2 idle workers x AsyncRequestWorkerFactor 2 = 6 connections.
        var idle = new List<RawHttp>();
        try
        {
            for (int i = 0; i < 6; i++)
            {
                var c = new RawHttp(tree.Port);
                idle.Add(c);
                c.Send(Request);
                Assert.Equal(200, c.ReadResponse().Status);
            }

            using var seventh = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            seventh.Connect("127.0.0.1", tree.Port); // the kernel's backlog takes it
            seventh.Send(Encoding.ASCII.GetBytes(Request));
            Assert.False(seventh.Poll(1_500_000, SelectMode.SelectRead), "a seventh connection was served while six idle ones counted");

            // One idle client leaves: the child is below its limit and takes the waiting one.
            idle[0].Dispose();
            Assert.True(seventh.Poll(20_000_000, SelectMode.SelectRead), "the waiting connection was never served");
            byte[] buf = new byte[64];
            int got = seventh.Receive(buf);
            Assert.StartsWith("HTTP/1.1 200", Encoding.ASCII.GetString(buf, 0, got), StringComparison.Ordinal);
        }
        finally
        {
            foreach (RawHttp c in idle)
            {
                c.Dispose();
            }
        }
    }

    private static TempConfTree Tree(string extra)
    {
        var tree = new TempConfTree();
        tree.SwitchMpm("event");
        tree.WriteConf("mods-available/mpm_event.conf", TwoWorkers + "\n" + extra + "\n");
        return tree;
    }

    /// <summary>
    /// Raises this test process's soft descriptor limit (the server it starts inherits it) to
    /// hold <paramref name="wanted"/> connections on both ends; answers how many both can hold:
    /// the server keeps a quarter of its limit (at most 1024) for its open-file cache and 64 for
    /// itself (EventChild), this process keeps a few hundred for the test host.
    /// </summary>
    private static unsafe int RaiseDescriptorLimit(int wanted)
    {
        const int RLIMIT_NOFILE = 7;
        const long TestHost = 300;
        ulong* limit = stackalloc ulong[2];
        Assert.Equal(0, getrlimit(RLIMIT_NOFILE, limit));
        ulong need = (ulong)(wanted + 1_024 + 64 + TestHost);
        if (limit[0] < need && limit[1] > limit[0])
        {
            limit[0] = Math.Min(need, limit[1]);
            Assert.Equal(0, setrlimit(RLIMIT_NOFILE, limit));
        }

        long soft = (long)Math.Min(limit[0], int.MaxValue);
        long serverRoom = soft - Math.Min(soft / 4, 1_024) - 64 - 10;
        int n = (int)Math.Min(wanted, Math.Min(serverRoom, soft - TestHost));
        Assert.True(n >= 100, $"RLIMIT_NOFILE {soft} leaves room for {n} idle connections only: raise the hard limit");
        return n;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit")]
    private static unsafe partial int getrlimit(int resource, ulong* limit);

    [LibraryImport("libc", EntryPoint = "setrlimit")]
    private static unsafe partial int setrlimit(int resource, ulong* limit);
}
