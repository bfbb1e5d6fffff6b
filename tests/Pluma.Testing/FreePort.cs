using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace Pluma.Testing;

/// <summary>Free loopback ports, found by binding to port 0 (parallel tests never collide).</summary>
public static class FreePort
{
    // The kernel may hand the same port to two probes in a row, since a probe never connects and
    // leaves no TIME_WAIT behind: a tree that asked for two ports (HTTP and TLS) then listed one
    // port twice and was refused ("Cannot define multiple Listeners"). A port is handed out once
    // per test process.
    private static readonly HashSet<int> HandedOut = [];
    private static readonly Lock Guard = new();

    /// <summary>A TCP port that was free on 127.0.0.1 a moment ago and was not returned before.</summary>
    public static int Next()
    {
        while (true)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)probe.LocalEndPoint!).Port;
            lock (Guard)
            {
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
