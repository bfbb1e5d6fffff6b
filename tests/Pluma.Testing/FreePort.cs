using System.Net;
using System.Net.Sockets;

namespace Pluma.Testing;

/// <summary>Free loopback ports, found by binding to port 0 (parallel tests never collide).</summary>
public static class FreePort
{
    /// <summary>A TCP port that was free on 127.0.0.1 a moment ago.</summary>
    public static int Next()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
