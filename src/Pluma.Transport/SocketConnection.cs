using System.Buffers;
using System.Net;
using System.Threading;
using Microsoft.Win32.SafeHandles;
using Pluma.Connections;
using Pluma.Transport.Native;

namespace Pluma.Transport;

/// <summary>
/// A TCP connection on a raw file descriptor, with synchronous calls for the worker thread that
/// serves it (the event MPM parks it in its own epoll set, so .NET's async socket engine never
/// touches it). The socket is non-blocking from accept(2) on: every recv, send and sendfile
/// tries at once and only polls, with the caller's timeout, when the socket is not ready, so
/// the common case is one system call. No call allocates. (A thread that holds its connection
/// waits for the next request in one blocking recv: SocketConnection.KeepAliveWait.cs.)
/// </summary>
public sealed unsafe partial class SocketConnection : Connection, IDisposable
{
    /// <summary>
    /// How long a lingering close waits for the client's next data, and the whole of a short
    /// lingering close (Apache's SECONDS_TO_LINGER).
    /// </summary>
    public static readonly TimeSpan LingerTime = TimeSpan.FromSeconds(2);

    /// <summary>The longest a lingering close may last while the client keeps sending (Apache's MAX_SECS_TO_LINGER).</summary>
    public static readonly TimeSpan MaxLingerTime = TimeSpan.FromSeconds(30);

    private int _fd;
    // TCP_CORK as set on the socket, and as the caller last asked for it: a Flush uncorks at once
    // and corks again only before the next send (none follows in the usual Flush, Cork(false)).
    private bool _corked;
    private bool _corkWanted;

    private SocketConnection(int fd)
    {
        _fd = fd;
    }

    /// <summary>The file descriptor (for epoll); -1 once closed.</summary>
    public int Fd => Volatile.Read(ref _fd);

    /// <summary>Bytes sent so far on this connection.</summary>
    public long BytesSent { get; private set; }

    /// <summary>
    /// Accepts one connection from a non-blocking listening <paramref name="listenFd"/>; null when
    /// another process took it first (EAGAIN) or the client went away before accept.
    /// </summary>
    /// <param name="listenFd">The listening socket.</param>
    /// <param name="id">The connection's number within the child.</param>
    /// <param name="boundLocal">The listener's address when it is a specific one (then every
    /// connection's local address is that, and no getsockname(2) is needed); null for a wildcard.</param>
    /// <param name="noDelayInherited">The listener has TCP_NODELAY (<see cref="ListenerSet.NoDelayInherited"/>):
    /// the accepted socket has it already.</param>
    public static SocketConnection? TryAccept(int listenFd, long id, IPEndPoint? boundLocal = null, bool noDelayInherited = false)
    {
        byte* addr = stackalloc byte[SockAddr.MaxSize];
        int len = SockAddr.MaxSize;
        int fd;
        do
        {
            fd = Libc.accept4(listenFd, addr, &len, Libc.SOCK_CLOEXEC | Libc.SOCK_NONBLOCK);
        }
        while (fd < 0 && Libc.Errno == Libc.EINTR);

        if (fd < 0)
        {
            return null;
        }

        IPEndPoint remote = SockAddr.ToEndPoint(new ReadOnlySpan<byte>(addr, len));
        IPEndPoint localEp = boundLocal ?? LocalEndPointOf(fd);
        var conn = new SocketConnection(fd) { Id = id, RemoteEndPoint = remote, LocalEndPoint = localEp };
        // Apache's every accepted socket has TCP_NODELAY (ap_sock_disable_nagle, or inherited from
        // the listener where APR_TCP_NODELAY_INHERITED, as on Linux).
        if (!noDelayInherited)
        {
            int one = 1;
            _ = Libc.setsockopt(fd, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, &one, sizeof(int));
        }

        return conn;
    }

    private static IPEndPoint LocalEndPointOf(int fd)
    {
        byte* local = stackalloc byte[SockAddr.MaxSize];
        int llen = SockAddr.MaxSize;
        return Libc.getsockname(fd, local, &llen) == 0
            ? SockAddr.ToEndPoint(new ReadOnlySpan<byte>(local, llen))
            : new IPEndPoint(IPAddress.None, 0);
    }

    /// <summary>Whether the client has sent a byte yet (the event MPM's accept limit asks).</summary>
    public bool HasReceived { get; private set; }

    /// <inheritdoc/>
    public override int Receive(Span<byte> buffer, TimeSpan timeout)
    {
        if (HasStashed)
        {
            return TakeStashed(buffer);
        }

        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = ReceiveNow(p, buffer.Length, out int errno);
                if (n >= 0)
                {
                    HasReceived |= n > 0;
                    return (int)n;
                }

                if (errno == Libc.EAGAIN)
                {
                    if (!WaitReadable(ToPollMs(timeout)))
                    {
                        throw new ConnectionTimeoutException("recv: timed out");
                    }
                }
                else if (errno != Libc.EINTR)
                {
                    ThrowFor(errno, "recv");
                }
            }
        }
    }

    /// <inheritdoc/>
    public override int ReceiveIfReady(Span<byte> buffer, TimeSpan timeout)
    {
        if (HasStashed)
        {
            return TakeStashed(buffer);
        }

        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = ReceiveNow(p, buffer.Length, out int errno);
                if (n >= 0)
                {
                    HasReceived |= n > 0;
                    return (int)n;
                }

                if (errno == Libc.EAGAIN)
                {
                    return -1;
                }

                if (errno != Libc.EINTR)
                {
                    ThrowFor(errno, "recv");
                }
            }
        }
    }

    /// <inheritdoc/>
    public override bool WaitForReadable(TimeSpan timeout) => WaitReadable(ToPollMs(timeout));

    /// <summary>A timeout as poll(2) takes it: milliseconds, -1 for none.</summary>
    private static int ToPollMs(TimeSpan timeout) =>
        timeout <= TimeSpan.Zero || timeout == Timeout.InfiniteTimeSpan ? -1 : (int)Math.Min(int.MaxValue, Math.Ceiling(timeout.TotalMilliseconds));

    /// <summary>Waits up to <paramref name="timeoutMs"/> (-1 forever) for input or end of stream.</summary>
    public bool WaitReadable(int timeoutMs) => HasStashed || Wait(Libc.POLLIN, timeoutMs);

    /// <summary>Waits up to <paramref name="timeoutMs"/> (-1 forever) until the socket takes more data.</summary>
    private bool WaitWritable(int timeoutMs) => Wait(Libc.POLLOUT, timeoutMs);

    private bool Wait(short events, int timeoutMs)
    {
        Libc.PollFd pfd = new() { Fd = _fd, Events = events };
        int r;
        do
        {
            r = Libc.poll(&pfd, 1, timeoutMs);
        }
        while (r < 0 && Libc.Errno == Libc.EINTR);

        return r > 0;
    }

    /// <inheritdoc/>
    public override void Send(ReadOnlySpan<byte> data, TimeSpan timeout)
    {
        if (HasPendingOutput)
        {
            CompletePendingOutput(timeout);
        }

        CorkAgainIfWanted();

        fixed (byte* p = data)
        {
            int sent = 0;
            while (!TrySendAll(p, ref sent, data.Length))
            {
                // The socket is full. With write completion, a tail small enough is copied aside
                // and the caller goes on; otherwise (and beyond that size, as Apache's core output
                // filter blocks past its setaside limit) wait for room.
                if (WriteCompletionEnabled && data.Length - sent <= MaxSetAsideBytes)
                {
                    SetAsideBytes(data[sent..], timeout);
                    return;
                }

                WaitWritableOrThrow(timeout);
            }
        }
    }

    /// <inheritdoc/>
    public override void SendFile(SafeFileHandle file, long offset, long count, TimeSpan timeout)
    {
        if (HasPendingOutput)
        {
            CompletePendingOutput(timeout);
        }

        CorkAgainIfWanted();
        EnsureNonBlocking();
        bool added = false;
        try
        {
            file.DangerousAddRef(ref added);
            int inFd = (int)file.DangerousGetHandle();
            long pos = offset;
            long end = offset + count;
            while (!TrySendFileAll(inFd, ref pos, end))
            {
                // The socket is full: with write completion the rest is set aside (the caller may
                // close its handle as soon as we return, so with a descriptor of our own).
                if (WriteCompletionEnabled && SetAsideFile(inFd, pos, end, timeout))
                {
                    return;
                }

                WaitWritableOrThrow(timeout);
            }
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    /// <inheritdoc/>
    public override void CopyFile(SafeFileHandle file, long offset, long count, TimeSpan timeout)
    {
        if (HasPendingOutput)
        {
            CompletePendingOutput(timeout);
        }

        CorkAgainIfWanted();
        long end = offset + count;
        byte[] piece = ArrayPool<byte>.Shared.Rent((int)Math.Min(CopyPiece, Math.Max(count, 1)));
        bool added = false;
        try
        {
            file.DangerousAddRef(ref added);
            int inFd = (int)file.DangerousGetHandle();
            fixed (byte* p = piece)
            {
                while (offset < end)
                {
                    int n = ReadPiece(inFd, p, (int)Math.Min(piece.Length, end - offset), offset);
                    offset += n;
                    int sent = 0;
                    while (!TrySendAll(p, ref sent, n))
                    {
                        // The socket is full: with write completion the unsent rest, from the file
                        // (read again later, so no memory is held), is set aside as for sendfile.
                        if (WriteCompletionEnabled && SetAsideFile(inFd, offset - (n - sent), end, timeout, copy: true))
                        {
                            return;
                        }

                        WaitWritableOrThrow(timeout);
                    }
                }
            }
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }

            ArrayPool<byte>.Shared.Return(piece);
        }
    }

    /// <summary>pread(2) of up to <paramref name="length"/> bytes at <paramref name="offset"/>; throws at the file's end or on an error.</summary>
    private static int ReadPiece(int inFd, byte* p, int length, long offset)
    {
        while (true)
        {
            nint n = Libc.pread(inFd, p, length, offset);
            if (n > 0)
            {
                return (int)n;
            }

            if (n == 0)
            {
                throw new ConnectionResetException("read: the file is shorter than announced");
            }

            if (Libc.Errno != Libc.EINTR)
            {
                throw new ConnectionResetException($"pread: errno {Libc.Errno}");
            }
        }
    }

    /// <summary>
    /// Copies [<paramref name="pos"/>, <paramref name="end"/>) of <paramref name="inFd"/> through
    /// user space, as much as the socket takes now. True when everything is out; false when the
    /// socket is full (what a piece did not send is read again next time).
    /// </summary>
    private bool TryCopyFileAll(int inFd, ref long pos, long end)
    {
        if (pos >= end)
        {
            return true;
        }

        byte[] piece = ArrayPool<byte>.Shared.Rent((int)Math.Min(PendingCopyPiece, end - pos));
        try
        {
            fixed (byte* p = piece)
            {
                while (pos < end)
                {
                    int n = ReadPiece(inFd, p, (int)Math.Min(piece.Length, end - pos), pos);
                    int sent = 0;
                    bool all = TrySendAll(p, ref sent, n);
                    pos += sent;
                    if (!all)
                    {
                        return false;
                    }
                }
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(piece);
        }
    }

    /// <summary>
    /// Sends from <paramref name="p"/>[<paramref name="sent"/>..<paramref name="length"/>) what the
    /// socket takes now. True when everything is out; false when the socket is full.
    /// </summary>
    private bool TrySendAll(byte* p, ref int sent, int length)
    {
        while (sent < length)
        {
            nint n = Libc.send(_fd, p + sent, length - sent, Libc.MSG_NOSIGNAL | Libc.MSG_DONTWAIT);
            if (n >= 0)
            {
                sent += (int)n;
                BytesSent += n;
                continue;
            }

            if (!RetryNow(Libc.Errno, "send"))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// sendfile(2) of [<paramref name="pos"/>, <paramref name="end"/>) of <paramref name="inFd"/>, as
    /// much as the socket takes now (the kernel advances <paramref name="pos"/>). True when
    /// everything is out; false when the socket is full.
    /// </summary>
    private bool TrySendFileAll(int inFd, ref long pos, long end)
    {
        long at = pos;
        try
        {
            while (at < end)
            {
                // sendfile(2) moves at most ~2 GiB per call.
                nint n = Libc.sendfile(_fd, inFd, &at, (nint)Math.Min(end - at, 0x7fff_f000));
                if (n > 0)
                {
                    BytesSent += n;
                    continue;
                }

                if (n == 0)
                {
                    throw new ConnectionResetException("sendfile: the file is shorter than announced");
                }

                if (!RetryNow(Libc.Errno, "sendfile"))
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            pos = at;
        }
    }

    /// <summary>True for EINTR (retry at once), false for EAGAIN (the socket is full); throws for a real error.</summary>
    private static bool RetryNow(int errno, string call)
    {
        if (errno == Libc.EINTR)
        {
            return true;
        }

        if (errno == Libc.EAGAIN)
        {
            return false;
        }

        throw new ConnectionResetException($"{call}: errno {errno}");
    }

    /// <inheritdoc/>
    public override void Cork(bool on)
    {
        _corkWanted = on;
        SetCork(on);
    }

    /// <inheritdoc/>
    public override void Flush()
    {
        // Un-cork pushes the partial segment out now. Corking again waits for the next send: a
        // response's Flush is followed by Cork(false), and the re-cork and second un-cork were two
        // setsockopt(2) calls a sendfile response for nothing.
        SetCork(false);
    }

    private void CorkAgainIfWanted()
    {
        if (_corkWanted && !_corked)
        {
            SetCork(true);
        }
    }

    private void SetCork(bool on)
    {
        if (_corked == on)
        {
            return;
        }

        _corked = on;
        int v = on ? 1 : 0;
        _ = Libc.setsockopt(_fd, Libc.IPPROTO_TCP, Libc.TCP_CORK, &v, sizeof(int));
    }

    /// <summary>Half-closes: no more data from us, the client sees end of stream.</summary>
    public void ShutdownWrite()
    {
        DropPendingOutput();
        Cork(false);

        _ = Libc.shutdown(_fd, Libc.SHUT_WR);
    }

    /// <summary>
    /// Reads and discards whatever the client still sends without blocking; true when the
    /// client closed (or reset) its side, so the lingering close is complete.
    /// </summary>
    public bool DrainAvailable()
    {
        DropStashed();
        byte* scratch = stackalloc byte[512];
        while (true)
        {
            nint n = ReceiveNow(scratch, 512, out int errno);
            if (n > 0)
            {
                continue;
            }

            if (n == 0)
            {
                return true;
            }

            if (errno == Libc.EINTR)
            {
                continue;
            }

            return errno != Libc.EAGAIN;
        }
    }

    /// <summary>
    /// Apache's lingering close done on the calling thread (ap_lingering_close): shut down our
    /// write side, then read and discard until the client closes, sends nothing for
    /// <see cref="LingerTime"/>, or <see cref="MaxLingerTime"/> has passed, so a client that
    /// still sends is not answered with a reset that would destroy the response in flight.
    /// </summary>
    public void LingeringClose()
    {
        if (Fd < 0)
        {
            return;
        }

        ShutdownWrite();
        long deadline = Environment.TickCount64 + (long)MaxLingerTime.TotalMilliseconds;
        int idleMs = (int)LingerTime.TotalMilliseconds;
        while (!DrainAvailable())
        {
            long left = deadline - Environment.TickCount64;
            if (left <= 0 || !WaitReadable((int)Math.Min(left, idleMs)))
            {
                break;
            }
        }

        Dispose();
    }

    /// <summary>
    /// Closes at once, without Apache's lingering close, when the protocol said the client sent
    /// all it will (<see cref="Connection.ClientSentAll"/>) and nothing more is waiting in the
    /// socket (one peek). True when closed; false when the caller must close with lingering.
    /// nginx closes so too (its lingering_close only when the client may still send): the
    /// shutdown, the wait for the client's FIN and its read are three to four system calls and,
    /// in the event MPM, a park of every Connection: close request.
    /// </summary>
    public bool CloseIfClientSentAll()
    {
        if (!ClientSentAll || Fd < 0 || HasStashed)
        {
            return false;
        }

        byte one;
        nint n = Libc.recv(_fd, &one, 1, Libc.MSG_DONTWAIT | Libc.MSG_PEEK);
        if (n > 0)
        {
            return false; // it sent more anyway: drain it, so the response is not reset away
        }

        // Nothing (EAGAIN), its FIN (0), or an error: closing sends our FIN after the response.
        Dispose();
        return true;
    }

    /// <summary>Closes the descriptor at once (no linger).</summary>
    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            _ = Libc.close(fd);
        }

        DropPendingOutput();
        ReleaseStash();

        // A request head waiting for its end: give its buffer back (the handler is done with it).
        IDisposable? state = ProtocolState;
        ProtocolState = null;
        state?.Dispose();
    }

    private static void ThrowFor(int errno, string call)
    {
        if (errno == Libc.EAGAIN)
        {
            throw new ConnectionTimeoutException($"{call}: timed out");
        }

        throw new ConnectionResetException($"{call}: errno {errno}");
    }
}
