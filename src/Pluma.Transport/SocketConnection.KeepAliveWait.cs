using System.Buffers;
using System.Threading;
using Pluma.Transport.Native;

namespace Pluma.Transport;

/// <summary>
/// The keep-alive wait of a thread that holds its connection (worker and prefork): one blocking
/// recv(2) with SO_RCVTIMEO set to the wait's timeout, in place of a poll(2) for readability and
/// the recv(2) after it. What it reads waits here (the stash) until the handler's first
/// <see cref="Receive"/> takes it, without a system call. Apache's worker blocks the same way, in
/// a read with the socket's timeout set to KeepAliveTimeout.
/// <para>
/// The wait clears O_NONBLOCK on the socket (once per connection, at its first wait) and leaves it
/// cleared: every other recv and send passes MSG_DONTWAIT, so they still never block. sendfile(2)
/// takes no flags, so <see cref="SendFile"/> sets O_NONBLOCK back first (<see cref="EnsureNonBlocking"/>).
/// </para>
/// </summary>
public sealed unsafe partial class SocketConnection
{
    // Big enough for every usual request head in one read; more stays in the kernel for the next Receive.
    private const int StashSize = 4096;

    private byte[]? _stash;
    private int _stashStart;
    private int _stashEnd;
    // O_NONBLOCK is cleared on the open file description (the keep-alive wait blocks in recv).
    private bool _blocking;
    // The SO_RCVTIMEO last set, in milliseconds; 0: never set (the kernel's "no timeout").
    private int _receiveTimeoutMs;

    /// <summary>Bytes the keep-alive wait read that no Receive has taken yet.</summary>
    private bool HasStashed => _stashEnd > _stashStart;

    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> (more than 0) for the client's next bytes and reads
    /// what has come. True when there is input for the next <see cref="Receive"/>; false when the
    /// time ran out, the client closed its side or the connection failed (the caller closes it).
    /// </summary>
    public bool WaitForNextInput(int timeoutMs)
    {
        if (HasStashed)
        {
            return true;
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timeoutMs);
        long deadline = Environment.TickCount64 + timeoutMs;
        if (!_blocking)
        {
            // The file status flags of an accepted socket are O_RDWR | O_NONBLOCK, and F_SETFL
            // ignores the access mode: 0 clears O_NONBLOCK alone, without an F_GETFL first.
            if (Libc.fcntl(_fd, Libc.F_SETFL, 0) < 0)
            {
                return WaitReadable(timeoutMs);
            }

            _blocking = true;
        }

        if (_receiveTimeoutMs != timeoutMs && !SetReceiveTimeout(timeoutMs))
        {
            return WaitReadable(timeoutMs);
        }

        _stash ??= ArrayPool<byte>.Shared.Rent(StashSize);
        fixed (byte* p = _stash)
        {
            nint n = Libc.recv(_fd, p, _stash.Length, 0);
            if (n > 0)
            {
                HasReceived = true;
                _stashStart = 0;
                _stashEnd = (int)n;
                return true;
            }

            if (n == 0)
            {
                return false; // the client closed: nothing more will come
            }
        }

        int errno = Libc.Errno;
        if (errno == Libc.EINTR)
        {
            // A signal cut the wait short: wait out the rest as before, the bytes stay in the kernel.
            long left = deadline - Environment.TickCount64;
            return left > 0 && WaitReadable((int)left);
        }

        // EAGAIN: SO_RCVTIMEO ran out (KeepAliveTimeout). Anything else: the connection failed.
        return false;
    }

    private bool SetReceiveTimeout(int timeoutMs)
    {
        // struct timeval on 64-bit Linux: two longs, seconds and microseconds.
        long* tv = stackalloc long[2];
        tv[0] = timeoutMs / 1000;
        tv[1] = timeoutMs % 1000 * 1000L;
        if (Libc.setsockopt(_fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, tv, 2 * sizeof(long)) != 0)
        {
            return false;
        }

        _receiveTimeoutMs = timeoutMs;
        return true;
    }

    /// <summary>Copies stashed bytes into <paramref name="buffer"/>; the count (at least one when any are stashed).</summary>
    private int TakeStashed(Span<byte> buffer)
    {
        int n = Math.Min(buffer.Length, _stashEnd - _stashStart);
        _stash.AsSpan(_stashStart, n).CopyTo(buffer);
        _stashStart += n;
        return n;
    }

    /// <summary>Drops what the keep-alive wait read (a lingering close discards input).</summary>
    private void DropStashed()
    {
        _stashStart = 0;
        _stashEnd = 0;
    }

    /// <summary>Sets O_NONBLOCK back before a call that takes no MSG_DONTWAIT (sendfile).</summary>
    private void EnsureNonBlocking()
    {
        if (_blocking && Libc.fcntl(_fd, Libc.F_SETFL, Libc.O_NONBLOCK) == 0)
        {
            _blocking = false;
        }
    }

    /// <summary>Gives the stash back (the connection is closed).</summary>
    private void ReleaseStash()
    {
        byte[]? stash = Interlocked.Exchange(ref _stash, null);
        DropStashed();
        if (stash is not null)
        {
            ArrayPool<byte>.Shared.Return(stash);
        }
    }
}
