using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Pluma.Transport;
using Xunit;

namespace Pluma.Mpm.Tests;

/// <summary>
/// TCP_NODELAY on every accepted connection without a setsockopt(2) per connection: the parent
/// sets it on the listeners (Apache's make_sock does the same) and Linux copies it into each
/// accepted socket; a child asks its inherited listeners whether they have it, and sets it on
/// each connection itself where one does not.
/// </summary>
public sealed class ListenerNoDelayTests
{
    [Fact]
    public void BoundListenersHaveItAndTheirConnectionsInheritIt()
    {
        using ListenerSet set = ListenerSet.Bind([new IPEndPoint(IPAddress.Loopback, 0)]);
        Assert.True(set.NoDelayInherited(0));
        Assert.Equal(1, NoDelayOf(set.Fds[0]));

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(set.EndPoints[0]);
        using SocketConnection conn = AcceptOne(set.Fds[0], noDelayInherited: true);
        Assert.Equal(1, NoDelayOf(conn.Fd));
    }

    [Fact]
    public void AChildAsksItsListenerAndSetsItItselfWhereTheListenerHasNone()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(8);
        int fd = (int)listener.SafeHandle.DangerousGetHandle();

        // Not disposed: the descriptor belongs to the Socket above.
        ListenerSet adopted = ListenerSet.Adopt(fd.ToString(CultureInfo.InvariantCulture));
        Assert.False(adopted.NoDelayInherited(0));

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using SocketConnection conn = AcceptOne(fd, adopted.NoDelayInherited(0));
        Assert.Equal(1, NoDelayOf(conn.Fd));

        listener.NoDelay = true;
        Assert.True(ListenerSet.Adopt(fd.ToString(CultureInfo.InvariantCulture)).NoDelayInherited(0));
    }

    private static SocketConnection AcceptOne(int listenFd, bool noDelayInherited)
    {
        // The client's connect has returned, but the connection may reach the queue a moment later.
        for (int i = 0; i < 500; i++)
        {
            if (SocketConnection.TryAccept(listenFd, 1, null, noDelayInherited) is { } conn)
            {
                return conn;
            }

            Thread.Sleep(10);
        }

        throw new InvalidOperationException("accept failed");
    }

    private static int NoDelayOf(int fd)
    {
        using var s = new Socket(new SafeSocketHandle(fd, ownsHandle: false));
        return (int)s.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.NoDelay)!;
    }
}
