using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace Pluma.Testing;

/// <summary>
/// The listening half every fake backend of the tests shares: a listener on 127.0.0.1:0, an
/// accept loop that gives each connection its own background thread, the connections it
/// accepted (closed on <see cref="Dispose()"/>, so a fake that hangs on purpose ends with the
/// test). A fake only writes <see cref="Serve"/>.
/// </summary>
public abstract class LoopbackServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _sockets = [];
    private readonly ManualResetEventSlim _stopped = new();
    private int _connections;

    protected LoopbackServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        new Thread(AcceptLoop) { IsBackground = true, Name = GetType().Name + " accept" }.Start();
    }

    public int Port { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Set once the server is disposed: a fake that hangs on purpose waits on it.</summary>
    protected WaitHandle Stopped => _stopped.WaitHandle;

    protected bool IsStopped => _stopped.IsSet;

    /// <summary>Serves the accepted connection <paramref name="s"/> on its own thread; <paramref name="id"/> counts from 1.</summary>
    protected abstract void Serve(Socket s, int id);

    private void AcceptLoop()
    {
        while (!_stopped.IsSet)
        {
            Socket s;
            try
            {
                s = _listener.AcceptSocket();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            int id = Interlocked.Increment(ref _connections);
            lock (_sockets)
            {
                _sockets.Add(s);
            }

            new Thread(() => Serve(s, id)) { IsBackground = true }.Start();
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing || _stopped.IsSet)
        {
            return;
        }

        _stopped.Set();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (Socket s in _sockets)
            {
                s.Dispose();
            }
        }
    }
}
