using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Pluma.Transport.Native;

namespace Pluma.Transport;

/// <summary>
/// The server's listening sockets. The parent binds them once (<see cref="Bind"/>) and keeps
/// them open across graceful restarts, so no client is ever refused while children change;
/// children inherit the descriptors (FD_CLOEXEC cleared, numbers passed in
/// <see cref="EnvironmentVariable"/>, systemd's LISTEN_FDS idea) and accept on them.
/// The descriptors are non-blocking: every child polls them and the loser of an accept race
/// gets EAGAIN instead of blocking.
/// </summary>
public sealed class ListenerSet : IDisposable
{
    /// <summary>Comma-separated listening descriptor numbers, set for children.</summary>
    public const string EnvironmentVariable = "PLUMA_LISTEN_FDS";

    /// <summary>Apache's compiled ListenBacklog.</summary>
    public const int DefaultBacklog = 511;

    private readonly List<Socket> _sockets;
    private readonly int[] _fds;
    private readonly IPEndPoint[] _endPoints;
    private readonly bool[] _deferAccept;
    private readonly bool[] _noDelay;
    private bool _closed;

    private ListenerSet(List<Socket> sockets, int[] fds, IPEndPoint[] endPoints, bool[] deferAccept, bool[] noDelay, bool reusePort = false)
    {
        _sockets = sockets;
        _fds = fds;
        _endPoints = endPoints;
        _deferAccept = deferAccept;
        _noDelay = noDelay;
        ReusePort = reusePort;
    }

    /// <summary>
    /// Apache's warnings from setting the sockets up (AH00076 when TCP_DEFER_ACCEPT could not be
    /// set), for the caller's log; the sockets serve without the option.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; private init; } = [];

    /// <summary>Bound with SO_REUSEPORT: <see cref="Duplicate"/> can make further copies.</summary>
    public bool ReusePort { get; }

    /// <summary>The listening descriptors, in Listen order.</summary>
    public ReadOnlySpan<int> Fds => _fds;

    /// <summary>The bound addresses (with the real port when 0 was asked for).</summary>
    public IReadOnlyList<IPEndPoint> EndPoints => _endPoints;

    /// <summary>
    /// Listener <paramref name="index"/>'s address when it is a specific one, so it is every accepted
    /// connection's local address too; null for a wildcard (0.0.0.0, [::]), where only
    /// getsockname(2) on the connection tells.
    /// </summary>
    public IPEndPoint? SpecificAddress(int index)
    {
        IPEndPoint ep = _endPoints[index];
        return ep.Address.Equals(IPAddress.Any) || ep.Address.Equals(IPAddress.IPv6Any) ? null : ep;
    }

    /// <summary>
    /// Whether listener <paramref name="index"/> has TCP_NODELAY set, so every connection accepted
    /// from it has it too (Linux copies the option into the accepted socket) and needs no
    /// setsockopt(2) of its own.
    /// </summary>
    public bool NoDelayInherited(int index) => _noDelay[index];

    /// <summary>
    /// Binds every address with SO_REUSEADDR and listens with <paramref name="backlog"/>.
    /// <c>[::]</c> accepts IPv4-mapped clients too (Debian's APR_HAVE_IPV6 with mapped addresses).
    /// Addresses that fail are reported as Apache does; if none is left the bind fails with
    /// <see cref="ListenerBindException"/>.
    /// </summary>
    /// <param name="reusePort">
    /// Sets SO_REUSEPORT too (ListenCoresBucketsRatio): further copies of the sockets can then be
    /// bound to the same addresses (<see cref="Duplicate"/>) and the kernel spreads new
    /// connections over them.
    /// </param>
    /// <param name="deferAccept">
    /// Per address, in the same order: whether the socket gets TCP_DEFER_ACCEPT (AcceptFilter,
    /// <see cref="DeferAccept"/>); null for none of them.
    /// </param>
    public static ListenerSet Bind(IReadOnlyList<IPEndPoint> addresses, int backlog = DefaultBacklog, bool reusePort = false, IReadOnlyList<bool>? deferAccept = null)
    {
        var sockets = new List<Socket>();
        var defers = new List<bool>();
        var lines = new List<string>();
        for (int i = 0; i < addresses.Count; i++)
        {
            IPEndPoint ep = addresses[i];
            var s = new Socket(ep.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                if (ep.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    s.DualMode = ep.Address.Equals(IPAddress.IPv6Any);
                }

                s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                if (reusePort)
                {
                    ListenerBuckets.SetReusePort(s);
                }

                s.Bind(ep);
                s.Listen(backlog);
                sockets.Add(s);
                defers.Add(deferAccept is not null && deferAccept[i]);
            }
            catch (SocketException e)
            {
                s.Dispose();
                (int errno, string text) = Describe(e.SocketErrorCode, e.Message);
                lines.Add($"({errno.ToString(CultureInfo.InvariantCulture)}){text}: AH00072: make_sock: could not bind to address {Format(ep)}");
            }
        }

        if (sockets.Count == 0 || lines.Count > 0)
        {
            // Apache stops when any Listen fails (ap_setup_listeners returns no sockets only when
            // all failed, but open_listeners fails the whole start on the first error).
            foreach (Socket s in sockets)
            {
                s.Dispose();
            }

            lines.Add("AH00451: no listening sockets available, shutting down");
            throw new ListenerBindException(lines);
        }

        return FromSockets(sockets, [.. defers], reusePort);
    }

    /// <summary>
    /// ap_duplicate_listeners: one more copy of every listener, bound to the same (actual)
    /// addresses with SO_REUSEPORT, in the same order; the originals must have been bound with
    /// <c>reusePort</c>. A failure is reported with Apache's AH00072 line for the address. Each
    /// copy gets its original's accept filter, as ap_duplicate_listeners applies it to every copy.
    /// </summary>
    public ListenerSet Duplicate(int backlog)
    {
        var sockets = new List<Socket>();
        try
        {
            foreach (IPEndPoint ep in _endPoints)
            {
                var s = new Socket(ep.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(s);
                if (ep.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    s.DualMode = ep.Address.Equals(IPAddress.IPv6Any);
                }

                s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                ListenerBuckets.SetReusePort(s);
                try
                {
                    s.Bind(ep);
                    s.Listen(backlog);
                }
                catch (SocketException e)
                {
                    (int errno, string text) = Describe(e.SocketErrorCode, e.Message);
                    throw new ListenerBindException([$"({errno.ToString(CultureInfo.InvariantCulture)}){text}: AH00072: make_sock: could not bind to address {Format(ep)}"]);
                }
            }
        }
        catch
        {
            foreach (Socket s in sockets)
            {
                s.Dispose();
            }

            throw;
        }

        return FromSockets(sockets, _deferAccept, reusePort: true);
    }

    private static ListenerSet FromSockets(List<Socket> sockets, bool[] deferAccept, bool reusePort)
    {
        var fds = new int[sockets.Count];
        var eps = new IPEndPoint[sockets.Count];
        var noDelay = new bool[sockets.Count];
        var warnings = new List<string>();
        for (int i = 0; i < sockets.Count; i++)
        {
            fds[i] = (int)sockets[i].SafeHandle.DangerousGetHandle();
            eps[i] = (IPEndPoint)sockets[i].LocalEndPoint!;
            Libc.SetNonBlocking(fds[i], true);
            Libc.SetInheritable(fds[i], true);
            if (deferAccept[i] && DeferAccept.Set(fds[i]) is string warning)
            {
                warnings.Add(warning);
            }

            // As Apache's make_sock (ap_sock_disable_nagle on the listener): accepted sockets
            // inherit TCP_NODELAY, so no connection needs a setsockopt(2) for it.
            noDelay[i] = SocketOptions.SetInt(fds[i], Libc.IPPROTO_TCP, Libc.TCP_NODELAY, 1) == 0;
        }

        return new ListenerSet(sockets, fds, eps, deferAccept, noDelay, reusePort) { Warnings = warnings };
    }

    /// <summary>
    /// In the parent: whether a child started next inherits these descriptors. With several
    /// listener buckets the parent lets each child inherit only its own bucket's sockets.
    /// </summary>
    public void SetInheritable(bool inheritable)
    {
        if (_closed)
        {
            return;
        }

        foreach (int fd in _fds)
        {
            Libc.SetInheritable(fd, inheritable);
        }
    }

    /// <summary>The value of <see cref="EnvironmentVariable"/> for a child.</summary>
    public string ToEnvironmentValue() => string.Join(',', _fds);

    /// <summary>
    /// In a child: the inherited listeners named by <see cref="EnvironmentVariable"/>. The child
    /// owns only its copies of the descriptors; closing them never affects the parent.
    /// </summary>
    public static ListenerSet Adopt(string environmentValue)
    {
        string[] parts = environmentValue.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var fds = new int[parts.Length];
        var eps = new IPEndPoint[parts.Length];
        var noDelay = new bool[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            fds[i] = int.Parse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture);
            Libc.SetInheritable(fds[i], false);
            eps[i] = LocalEndPointOf(fds[i]);
            // Asked, not assumed: a listener without it leaves the setsockopt to each connection.
            noDelay[i] = SocketOptions.GetInt(fds[i], Libc.IPPROTO_TCP, Libc.TCP_NODELAY) > 0;
        }

        // A child never binds or duplicates: the option is on the shared socket already.
        return new ListenerSet([], fds, eps, new bool[parts.Length], noDelay);
    }

    /// <summary>Apache's <c>%pI</c>: <c>127.0.0.1:80</c>, <c>[::]:80</c>.</summary>
    public static string Format(IPEndPoint ep) =>
        ep.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{ep.Address}]:{ep.Port.ToString(CultureInfo.InvariantCulture)}"
            : $"{ep.Address}:{ep.Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Closes the listeners. In the parent this is graceful stop / stop; in a child it closes
    /// only the child's descriptors (close(2), never shutdown(2), which would stop the
    /// socket for every process).
    /// </summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        if (_sockets.Count > 0)
        {
            foreach (Socket s in _sockets)
            {
                s.Dispose();
            }
        }
        else
        {
            foreach (int fd in _fds)
            {
                _ = Libc.close(fd);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Close();

    private static unsafe IPEndPoint LocalEndPointOf(int fd)
    {
        byte* addr = stackalloc byte[SockAddr.MaxSize];
        int len = SockAddr.MaxSize;
        return Libc.getsockname(fd, addr, &len) == 0
            ? SockAddr.ToEndPoint(new ReadOnlySpan<byte>(addr, len))
            : new IPEndPoint(IPAddress.None, 0);
    }

    private static (int Errno, string Text) Describe(SocketError error, string message) => error switch
    {
        SocketError.AddressAlreadyInUse => (98, "Address already in use"),
        SocketError.AddressNotAvailable => (99, "Cannot assign requested address"),
        SocketError.AccessDenied => (13, "Permission denied"),
        _ => ((int)error, message),
    };
}
