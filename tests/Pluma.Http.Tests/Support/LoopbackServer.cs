using System.Net;
using System.Net.Sockets;
using System.Threading;
using Pluma.Connections;

namespace Pluma.Http.Tests.Support;

/// <summary>
/// The engine on 127.0.0.1 with an ephemeral port: one thread accepts, one thread per
/// connection serves it as the worker MPM would (Serve, wait for the next request, Serve...).
/// </summary>
public sealed class LoopbackServer : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly HttpConnectionHandler _handler;
    private readonly Thread _acceptor;
    private int _accepted;
    private volatile bool _stopping;

    public LoopbackServer(IHttpApplication application, HttpServerOptions? options = null)
    {
        _handler = new HttpConnectionHandler(application, options ?? new HttpServerOptions { KeepAliveTimeout = TimeSpan.FromSeconds(2) });
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        _acceptor = new Thread(AcceptLoop) { IsBackground = true, Name = "loopback accept" };
        _acceptor.Start();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public Uri BaseAddress => new("http://127.0.0.1:" + Port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/");

    /// <summary>How many TCP connections were accepted (keep-alive reuse keeps it at 1).</summary>
    public int AcceptedConnections => Volatile.Read(ref _accepted);

    public void Dispose()
    {
        _stopping = true;
        _listener.Dispose();
        _acceptor.Join(TimeSpan.FromSeconds(5));
    }

    private void AcceptLoop()
    {
        while (!_stopping)
        {
            LoopbackConnection connection;
            try
            {
                connection = LoopbackConnection.Accept(_listener);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            new Thread(() => ServeLoop(connection)) { IsBackground = true, Name = "loopback worker" }.Start();
        }
    }

    private void ServeLoop(LoopbackConnection connection)
    {
        using (connection)
        {
            while (!_stopping && _handler.Serve(connection) == ConnectionStep.WaitForNextRequest)
            {
                bool readable;
                try
                {
                    readable = connection.HasPendingInput || WaitReadable(connection);
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                    return;
                }

                if (!readable)
                {
                    return; // KeepAliveTimeout passed
                }
            }
        }
    }

    private static bool WaitReadable(LoopbackConnection connection)
    {
        Span<byte> none = [];
        try
        {
            // A zero-length receive with the keep-alive timeout stands in for the MPM's wait.
            connection.Receive(none, connection.KeepAliveTimeout);
            return true;
        }
        catch (ConnectionTimeoutException)
        {
            return false;
        }
    }
}
