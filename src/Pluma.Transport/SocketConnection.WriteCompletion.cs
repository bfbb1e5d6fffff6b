using System.Buffers;
using Pluma.Connections;
using Pluma.Transport.Native;

namespace Pluma.Transport;

/// <content>
/// Write completion (Apache event's WRITE_COMPLETION state): when the client's socket cannot take
/// the end of a response right now, the rest is set aside on the connection instead of blocking
/// the worker, and the MPM finishes it later from its poll loop when the socket is writable.
/// At most one piece is ever set aside: any later send first finishes it (blocking), so the
/// bytes always leave in order.
/// </content>
public sealed unsafe partial class SocketConnection
{
    /// <summary>
    /// The most bytes of an in-memory send that are copied aside rather than waited for (Apache's
    /// core output filter keeps at most 64 KiB of setaside memory per connection); file data is
    /// set aside as a duplicated descriptor and an offset, whatever its size.
    /// </summary>
    public const int MaxSetAsideBytes = 64 * 1024;

    /// <summary>
    /// The piece a set-aside file is copied in when the socket is writable again (EnableSendfile
    /// Off): what the socket does not take is read again next time, so the piece is small.
    /// </summary>
    private const int PendingCopyPiece = 64 * 1024;

    private int _pendingFileFd = -1;
    private long _pendingFilePos;
    private long _pendingFileEnd;

    // The set-aside file is copied through user space (EnableSendfile Off), not sent by sendfile.
    private bool _pendingFileCopy;
    private byte[]? _pendingBytes;
    private int _pendingBytesStart;
    private int _pendingBytesEnd;

    /// <summary>
    /// Set by the event MPM: a send the socket cannot finish at once leaves its tail pending
    /// (<see cref="HasPendingOutput"/>) instead of waiting for the client. Other MPMs keep
    /// every send blocking.
    /// </summary>
    public bool WriteCompletionEnabled { get; set; }

    /// <summary>Bytes of a response are still waiting to be written.</summary>
    public override bool HasPendingOutput => _pendingFileFd >= 0 || _pendingBytesEnd > _pendingBytesStart;

    /// <summary>The send timeout of the pending output (Apache's Timeout): how long it may wait for writability.</summary>
    public TimeSpan PendingOutputTimeout { get; private set; }

    /// <summary>
    /// Writes as much of the pending output as the socket takes without blocking. True when
    /// nothing is left; throws <see cref="ConnectionResetException"/> when the client is gone.
    /// </summary>
    public bool TryCompletePendingOutput()
    {
        if (_pendingBytesEnd > _pendingBytesStart)
        {
            fixed (byte* p = _pendingBytes)
            {
                if (!TrySendAll(p, ref _pendingBytesStart, _pendingBytesEnd))
                {
                    return false;
                }
            }

            ReleasePendingBytes();
        }

        if (_pendingFileFd >= 0)
        {
            if (!(_pendingFileCopy
                ? TryCopyFileAll(_pendingFileFd, ref _pendingFilePos, _pendingFileEnd)
                : TrySendFileAll(_pendingFileFd, ref _pendingFilePos, _pendingFileEnd)))
            {
                return false;
            }

            ReleasePendingFile();
        }

        return true;
    }

    /// <summary>Finishes the pending output on the calling thread, waiting for writability.</summary>
    private void CompletePendingOutput(TimeSpan timeout)
    {
        while (!TryCompletePendingOutput())
        {
            WaitWritableOrThrow(timeout);
        }
    }

    private void WaitWritableOrThrow(TimeSpan timeout)
    {
        if (!WaitWritable(ToPollMs(timeout)))
        {
            throw new ConnectionTimeoutException("send: timed out");
        }
    }

    private void SetAsideBytes(ReadOnlySpan<byte> rest, TimeSpan timeout)
    {
        _pendingBytes = ArrayPool<byte>.Shared.Rent(rest.Length);
        rest.CopyTo(_pendingBytes);
        _pendingBytesStart = 0;
        _pendingBytesEnd = rest.Length;
        PendingOutputTimeout = timeout;
    }

    /// <summary>Sets [<paramref name="pos"/>, <paramref name="end"/>) of the file aside on a duplicate of its descriptor; false if it cannot be duplicated.</summary>
    private bool SetAsideFile(int inFd, long pos, long end, TimeSpan timeout, bool copy = false)
    {
        int dup = Libc.fcntl(inFd, Libc.F_DUPFD_CLOEXEC, 0);
        if (dup < 0)
        {
            return false;
        }

        _pendingFileFd = dup;
        _pendingFilePos = pos;
        _pendingFileEnd = end;
        _pendingFileCopy = copy;
        PendingOutputTimeout = timeout;
        return true;
    }

    /// <summary>Forgets whatever is still pending (the connection is being closed).</summary>
    private void DropPendingOutput()
    {
        ReleasePendingBytes();
        ReleasePendingFile();
    }

    private void ReleasePendingBytes()
    {
        if (_pendingBytes is not null)
        {
            ArrayPool<byte>.Shared.Return(_pendingBytes);
            _pendingBytes = null;
        }

        _pendingBytesStart = _pendingBytesEnd = 0;
    }

    private void ReleasePendingFile()
    {
        if (_pendingFileFd >= 0)
        {
            _ = Libc.close(_pendingFileFd);
            _pendingFileFd = -1;
        }
    }
}
