using System.Net;
using Pluma.Transport;
using Xunit;

namespace Pluma.Mpm.Tests;

/// <summary>
/// TCP_DEFER_ACCEPT on the listening sockets (AcceptFilter on Linux): set where the parent binds
/// them, only on the addresses asked for, and on every listener bucket's copy as well
/// (ap_duplicate_listeners applies the filter to each copy).
/// </summary>
public sealed class DeferAcceptTests
{
    private static readonly IPEndPoint[] TwoAddresses = [new(IPAddress.Loopback, 0), new(IPAddress.Loopback, 0)];

    [Fact]
    public void BindSetsTheOptionOnlyWhereAsked()
    {
        using ListenerSet set = ListenerSet.Bind(TwoAddresses, deferAccept: [true, false]);
        Assert.Empty(set.Warnings);
        // The kernel keeps a count of SYN-ACK retransmissions and reports it back in seconds,
        // rounded up to a whole one: 30 s is five of them, 1+2+4+8+16 = 31 s.
        Assert.InRange(DeferAccept.Get(set.Fds[0]), DeferAccept.Seconds, DeferAccept.Seconds + 2);
        Assert.Equal(0, DeferAccept.Get(set.Fds[1]));
    }

    [Fact]
    public void WithoutAListNoSocketDefers()
    {
        using ListenerSet set = ListenerSet.Bind(TwoAddresses);
        Assert.Equal(0, DeferAccept.Get(set.Fds[0]));
        Assert.Equal(0, DeferAccept.Get(set.Fds[1]));
    }

    [Fact]
    public void ABucketsCopyDefersAsItsOriginalDoes()
    {
        if (!ListenerBuckets.ReusePortSupported)
        {
            return;
        }

        using ListenerSet set = ListenerSet.Bind(TwoAddresses, reusePort: true, deferAccept: [false, true]);
        using ListenerSet copy = set.Duplicate(ListenerSet.DefaultBacklog);
        Assert.Equal(0, DeferAccept.Get(copy.Fds[0]));
        Assert.InRange(DeferAccept.Get(copy.Fds[1]), DeferAccept.Seconds, DeferAccept.Seconds + 2);
    }
}
