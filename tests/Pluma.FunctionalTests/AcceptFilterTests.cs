using System.Diagnostics;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// AcceptFilter on a real server (Apache's Linux default, <c>data</c> for http: TCP_DEFER_ACCEPT
/// on the listening socket). A connection that has sent nothing stays in the kernel: no worker
/// reads it (no R in the scoreboard) and the header timeout never starts, so it is still open
/// long after that timeout and is served once its request comes. With <c>AcceptFilter http
/// none</c> the same connection is accepted at once, read (R in worker and prefork) and closed
/// at the header timeout.
/// </summary>
public sealed class AcceptFilterTests
{
    // A one-second header timeout: an accepted connection that sends nothing is closed soon.
    private const string ShortHeaderTimeout = "RequestReadTimeout header=1 body=20";

    [Theory]
    [InlineData("event")]
    [InlineData("worker")]
    [InlineData("prefork")]
    public void ByDefaultAConnectionThatSendsNothingIsNotAccepted(string mpm)
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm(mpm);
        tree.AppendToMainConfig(ShortHeaderTimeout);
        using var server = PlumaServer.Start(tree);
        using var idle = new RawHttp(tree.Port);

        // Three header timeouts: an accepted connection would have been closed by now.
        Assert.False(idle.Socket.Poll(3_000_000, SelectMode.SelectRead), "a connection that sent nothing was accepted and closed");
        if (mpm != "event")
        {
            Assert.Equal(0, Reading(tree.Port));
        }

        idle.Send("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        Assert.Equal(200, idle.ReadResponse().Status);
    }

    [Theory]
    [InlineData("event")]
    [InlineData("worker")]
    [InlineData("prefork")]
    public void WithAcceptFilterHttpNoneItIsAcceptedAndTimesOut(string mpm)
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm(mpm);
        tree.AppendToMainConfig("AcceptFilter http none\n" + ShortHeaderTimeout);
        using var server = PlumaServer.Start(tree);
        using var idle = new RawHttp(tree.Port);
        var sw = Stopwatch.StartNew();
        if (mpm != "event")
        {
            // The event MPM parks a new connection with no worker; the others read it in one.
            Assert.True(Poll.Within(() => Reading(tree.Port) == 1, 10_000), "no worker reads the accepted connection");
        }

        Assert.True(idle.Socket.Poll(15_000_000, SelectMode.SelectRead), "the accepted connection was never closed");
        Assert.InRange(sw.ElapsedMilliseconds, 0, 10_000);
    }

    /// <summary>Workers reading a request (R) in server-status; its own request is W.</summary>
    private static int Reading(int port) => ServerStatus.Auto(port)["Scoreboard"].Count(c => c == 'R');
}
