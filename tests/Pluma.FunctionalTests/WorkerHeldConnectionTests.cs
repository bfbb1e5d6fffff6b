using System.Diagnostics;
using System.IO;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// The worker MPM, whose threads hold their connections: a connection queued while one worker is
/// held by its client is served by the other (the queue's bounded wake never leaves it behind a
/// busy worker while another sleeps), and the keep-alive wait, one blocking recv with
/// SO_RCVTIMEO, still ends at KeepAliveTimeout and still hands its bytes to the next request.
/// </summary>
public sealed class WorkerHeldConnectionTests
{
    private const string TwoWorkers = ThreadedMpmBlocks.OneChildTwoWorkers;

    private const string Request = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";

    // Generous for a loaded 2-core machine; a connection left behind a held worker would wait
    // for that worker's KeepAliveTimeout (60 s here) or its client.
    private const int AnswerWithinMs = 20_000;

    [Fact]
    public void AConnectionIsServedWhileTheOtherWorkerHoldsAnIdleKeepAliveConnection()
    {
        using var tree = Tree("KeepAliveTimeout 60");
        using var server = PlumaServer.Start(tree);
        using var held = new RawHttp(tree.Port, timeoutMs: 30_000);
        held.Send(Request);
        Assert.Equal(200, held.ReadResponse().Status);

        for (int i = 0; i < 5; i++)
        {
            AssertAnsweredPromptly(tree.Port);
        }

        // The held one is still served on its kept-alive connection.
        held.Send(Request);
        Assert.Equal(200, held.ReadResponse().Status);
    }

    [Fact]
    public void AConnectionIsServedWhileTheOtherWorkerWaitsForTheRestOfAHead()
    {
        using var tree = Tree("KeepAliveTimeout 60\nTimeout 60\nAcceptFilter http none");
        using var server = PlumaServer.Start(tree);
        using var slow = new RawHttp(tree.Port, timeoutMs: 30_000);
        slow.Send("GET / HTTP/1.1\r\nHost: loc");
        Thread.Sleep(300); // its worker has taken it and waits for the rest
        for (int i = 0; i < 5; i++)
        {
            AssertAnsweredPromptly(tree.Port);
        }

        slow.Send("alhost\r\n\r\n");
        Assert.Equal(200, slow.ReadResponse().Status);
    }

    [Fact]
    public void AConnectionIsServedWhileTheOtherWorkerIsBlockedOnAClientThatDoesNotRead()
    {
        using var tree = Tree("KeepAliveTimeout 60\nTimeout 60");
        File.WriteAllBytes(Path.Combine(tree.DocumentRoot, "big.bin"), new byte[64 * 1024 * 1024]);
        using var server = PlumaServer.Start(tree);
        using var stuck = new RawHttp(tree.Port, timeoutMs: 30_000);
        stuck.Socket.ReceiveBufferSize = 4096;
        stuck.Send("GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Thread.Sleep(300); // its worker fills the socket and waits for room
        for (int i = 0; i < 5; i++)
        {
            AssertAnsweredPromptly(tree.Port);
        }
    }

    [Fact]
    public void KeepAliveTimeoutStillClosesAnIdleConnectionAtItsTime()
    {
        using var tree = Tree("KeepAliveTimeout 2");
        using var server = PlumaServer.Start(tree);
        using var client = new RawHttp(tree.Port, timeoutMs: 60_000);
        for (int i = 0; i < 3; i++)
        {
            // Requests on the same connection: each wait reads the next one whole.
            client.Send(Request);
            Assert.Equal(200, client.ReadResponse().Status);
        }

        var clock = Stopwatch.StartNew();
        Assert.Equal(0, client.Socket.Receive(new byte[16])); // the server's close (end of stream)
        Assert.InRange(clock.ElapsedMilliseconds, 1_500, 30_000);
    }

    [Fact]
    public void AClientThatClosesDuringTheKeepAliveWaitFreesItsWorkerAtOnce()
    {
        using var tree = Tree("KeepAliveTimeout 60");
        using var server = PlumaServer.Start(tree);
        // Both workers held, then both clients leave: both workers must serve again promptly
        // (KeepAliveTimeout is a minute).
        var first = new RawHttp(tree.Port, timeoutMs: 30_000);
        var second = new RawHttp(tree.Port, timeoutMs: 30_000);
        foreach (RawHttp c in new[] { first, second })
        {
            c.Send(Request);
            Assert.Equal(200, c.ReadResponse().Status);
        }

        first.Dispose();
        second.Dispose();
        using var a = new RawHttp(tree.Port, timeoutMs: 30_000);
        using var b = new RawHttp(tree.Port, timeoutMs: 30_000);
        var clock = Stopwatch.StartNew();
        a.Send(Request);
        b.Send(Request);
        Assert.Equal(200, a.ReadResponse().Status);
        Assert.Equal(200, b.ReadResponse().Status);
        Assert.InRange(clock.ElapsedMilliseconds, 0, AnswerWithinMs);
    }

    [Fact]
    public void AfterAGracefulStopARequestOnAnIdleKeepAliveConnectionIsAnsweredAndTheServerExits()
    {
        using var tree = Tree("KeepAliveTimeout 60");
        using var server = PlumaServer.Start(tree);
        using var idle = new RawHttp(tree.Port, timeoutMs: 30_000);
        idle.Send(Request);
        Assert.Equal(200, idle.ReadResponse().Status);

        // The stopping child keeps waiting on the idle connection (a request may be on its way)...
        ProcessResult r = Pluma.OnTree(tree, "-k", "graceful-stop");
        Assert.True(r.ExitCode == 0, r.Combined);
        Thread.Sleep(500);
        Assert.False(server.HasExited);

        // ... answers the request that comes, with Connection: close, and then the server is gone.
        idle.Send(Request);
        HttpResponseText last = idle.ReadResponse();
        Assert.Equal(200, last.Status);
        Assert.Equal("close", last.Header("Connection"), ignoreCase: true);
        Assert.True(server.WaitForExit(30_000), "the server did not exit after its last connection closed");
    }

    private static void AssertAnsweredPromptly(int port)
    {
        var clock = Stopwatch.StartNew();
        using var c = new RawHttp(port, timeoutMs: 30_000);
        c.Send("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        Assert.Equal(200, c.ReadResponse().Status);
        Assert.InRange(clock.ElapsedMilliseconds, 0, AnswerWithinMs);
    }

    private static TempConfTree Tree(string extra)
    {
        var tree = new TempConfTree();
        tree.SwitchMpm("worker");
        tree.WriteConf("mods-available/mpm_worker.conf", TwoWorkers + "\n" + extra + "\n");
        return tree;
    }
}
