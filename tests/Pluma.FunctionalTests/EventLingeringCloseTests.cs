using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Event's lingering close (server/mpm/event/event.c, start_lingering_close_nonblocking and
/// process_lingering_close): after the last response the listener, not a
/// worker, drains the client until it closes, for up to 30 s (2 s when the child is stopping).
/// A client that asked to close and sent nothing more is closed at once (no lingering needed).
/// </summary>
public sealed class EventLingeringCloseTests
{
    [Fact]
    public void TheListenerLingersUntilTheClientCloses()
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm("event");
        // The server closes, not the client: the client may still be sending.
        tree.AppendToMainConfig("KeepAlive Off");
        using var server = PlumaServer.Start(tree);
        using (var c = new RawHttp(tree.Port))
        {
            c.Send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            Assert.Contains("HTTP/1.1 200 OK", c.ReadToEnd(), StringComparison.Ordinal);

            // Our side is shut down; the client's is still open: longer than the short linger (2 s).
            Thread.Sleep(3_000);
            var status = ServerStatus.Auto(tree.Port);
            Assert.Equal(1, status.Int("ConnsAsyncClosing"));
            Assert.Equal(1, status.Int("BusyWorkers")); // the status request: lingering holds no worker
        }

        var sw = Stopwatch.StartNew();
        while (ServerStatus.Auto(tree.Port).Int("ConnsAsyncClosing") != 0 && sw.ElapsedMilliseconds < 5_000)
        {
            Thread.Sleep(100);
        }

        Assert.Equal(0, ServerStatus.Auto(tree.Port).Int("ConnsAsyncClosing"));
    }

    [Theory]
    [InlineData("event")]
    [InlineData("worker")]
    [InlineData("prefork")]
    public void AClientThatAskedToCloseIsClosedAtOnce(string mpm)
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm(mpm);
        using var server = PlumaServer.Start(tree);
        using var c = new RawHttp(tree.Port);
        c.Send("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        // ReadToEnd returns at the server's FIN; the client's side stays open.
        Assert.Contains("HTTP/1.1 200 OK", c.ReadToEnd(), StringComparison.Ordinal);
        // Lingering shows as an async closing connection (event) or a worker in C (worker, prefork).
        static bool Lingering(Dictionary<string, string> s) =>
            s.GetValueOrDefault("ConnsAsyncClosing", "0") != "0" || s["Scoreboard"].Contains('C', StringComparison.Ordinal);
        var sw = Stopwatch.StartNew();
        Dictionary<string, string> status;
        while (Lingering(status = ServerStatus.Auto(tree.Port)) && sw.ElapsedMilliseconds < 1_500)
        {
            Thread.Sleep(50);
        }

        // Well inside the 2 s a lingering close waits for a silent client.
        Assert.False(Lingering(status), "still lingering: " + status["Scoreboard"]);
        Assert.Equal(1, status.Int("BusyWorkers")); // the status request only: nobody holds the closed one
        GC.KeepAlive(c.Socket);
    }

    [Fact]
    public void AClientThatSendsMoreAfterConnectionCloseStillGetsTheLingeringClose()
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm("event");
        using var server = PlumaServer.Start(tree);
        using var c = new RawHttp(tree.Port);
        // Bytes after the last request: closing at once would answer them with a reset.
        c.Send("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\nGET /more HTTP/1.1\r\n");
        Assert.Contains("HTTP/1.1 200 OK", c.ReadToEnd(), StringComparison.Ordinal);
        Thread.Sleep(1_000);
        Assert.Equal(1, ServerStatus.Auto(tree.Port).Int("ConnsAsyncClosing"));
        GC.KeepAlive(c.Socket);
    }

    [Fact]
    public void AStoppingChildGivesLingeringClosesTwoSecondsOnly()
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm("event");
        tree.AppendToMainConfig("KeepAlive Off");
        using var server = PlumaServer.Start(tree);
        using var c = new RawHttp(tree.Port);
        c.Send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Assert.Contains("HTTP/1.1 200 OK", c.ReadToEnd(), StringComparison.Ordinal);
        var sw = Stopwatch.StartNew();
        server.Signal(NativeSignals.SIGWINCH);
        Assert.True(server.WaitForExit(15_000), "the server waited for the lingering client");
        Assert.True(sw.ElapsedMilliseconds < 10_000, $"graceful stop took {sw.ElapsedMilliseconds} ms with one lingering client");
        GC.KeepAlive(c.Socket);
    }
}
