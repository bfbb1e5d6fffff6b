using System.Buffers;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Pluma.Connections;

namespace Pluma.Modules.Ssl;

/// <summary>
/// The TCP connection as the Stream SslStream reads and writes: blocking calls on the worker's
/// thread (the async overloads complete synchronously too, so no thread-pool thread ever runs
/// a handshake), the bytes of a ClientHello already read first, reads cut at TLS record ends (so
/// SslStream never holds a record it has not decrypted: what the client sent beyond the record it
/// asked for waits here or in the kernel, where an idle wait can see it), and a non-blocking mode in
/// which a read that would wait throws <see cref="WouldBlockException"/> instead (SslStream
/// keeps a partial record in its buffer and rethrows, so the read can be retried later).
/// With <see cref="HoldOutput"/>, the records SslStream writes wait here until the connection
/// would wait for its client, so that a TLS 1.3 session ticket, a response and a close_notify
/// leave in one send (as Apache's core output filter holds a response until a read would block).
/// </summary>
internal sealed class ConnectionStream : Stream
{
    // One socket read's worth of input (a full TLS record's payload).
    private const int RawSize = 16 * 1024;

    // Held output beyond this leaves at once: a full record and its overhead, plus small ones.
    private const int HoldLimit = 17 * 1024;

    private readonly Connection _inner;

    // Bytes read from the socket (or the ClientHello read before) that SslStream has not taken yet.
    private byte[]? _raw;
    private int _rawPos;
    private int _rawEnd;

    // The TLS record framing of the bytes handed to SslStream: header bytes of the current record
    // seen so far (0 to 5), its length's high byte, and how much of its body is still to come.
    private int _headerSeen;
    private int _lengthHigh;
    private int _bodyLeft;

    // The handshake's read that found nothing (SuspendAfter), and the buffer it reads into.
    private TaskCompletionSource<int>? _suspended;
    private Memory<byte> _suspendedBuffer;

    // Records written while HoldOutput is set and not sent yet (a buffer of ArrayPool's).
    private byte[]? _held;
    private int _heldCount;

    public ConnectionStream(Connection inner) => _inner = inner;

    /// <summary>Sets both timeouts (Apache's Timeout or the handshake's).</summary>
    public TimeSpan Timeout
    {
        get => ReceiveTimeout;
        set => ReceiveTimeout = SendTimeout = value;
    }

    /// <summary>
    /// Timeout of the current read. Apart from <see cref="SendTimeout"/>: an HTTP/2 connection reads
    /// on one thread while its streams write on others (SslStream allows one read and one write at
    /// a time), and a short wait for input must not shorten a send.
    /// </summary>
    public TimeSpan ReceiveTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeout of the current write.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// While set (the handshake, run with SslStream's async methods), an async read that finds
    /// nothing within this time does not block: it stays pending until <see cref="ResumeRead"/> or
    /// <see cref="FailRead"/>, and the task SslStream returned is not complete meanwhile.
    /// </summary>
    public TimeSpan? SuspendAfter { get; set; }

    /// <summary>Whether an async read waits for <see cref="ResumeRead"/>.</summary>
    public bool IsSuspended => _suspended is not null;

    /// <summary>When set, a read that finds nothing throws <see cref="WouldBlockException"/>.</summary>
    public bool NonBlocking { get; set; }

    /// <summary>
    /// When set, writes wait in this stream (up to a record's worth) until <see cref="SendHeld"/>,
    /// a read that may wait for the client, or a write that would pass the limit. Only for a
    /// connection one thread reads and writes (HTTP/1.1): HTTP/2 writes from other threads.
    /// </summary>
    public bool HoldOutput { get; set; }

    /// <summary>Whether written bytes wait to be sent.</summary>
    public bool HasHeldOutput => _heldCount > 0;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Whether bytes read from the socket wait here for SslStream. SslStream is handed at most one
    /// record per read, so with nothing here it holds no complete record it has not decrypted:
    /// whatever else the client sent is still in the kernel, where the MPM's wait sees it.
    /// </summary>
    public bool HasRawInput => _rawPos < _rawEnd;

    /// <summary>Part of a record has come and the rest has not: SslStream (or this buffer) holds a record begun.</summary>
    public bool InsideRecord => _headerSeen > 0 || HasRawInput;

    /// <summary>Bytes read before SslStream took over (the ClientHello, in a buffer of ArrayPool's): served first.</summary>
    public void SetPrefix(byte[] buffer, int count)
    {
        ReleaseRaw();
        _raw = buffer;
        _rawPos = 0;
        _rawEnd = count;
    }

    /// <summary>Gives the read buffer back to its pool (the connection is done).</summary>
    public void ReleaseRaw()
    {
        if (_raw is not null)
        {
            ArrayPool<byte>.Shared.Return(_raw);
            _raw = null;
        }

        _rawPos = _rawEnd = 0;
    }

    /// <summary>
    /// Without waiting: reads what the socket has into this stream's buffer, unless some is
    /// already there. The bytes now buffered, 0 at the end of the input, or -1 when there is
    /// nothing to read yet (so a caller can leave SslStream out of it, which would throw).
    /// </summary>
    public int Fill(TimeSpan timeout)
    {
        if (_rawPos < _rawEnd)
        {
            return _rawEnd - _rawPos;
        }

        _raw ??= ArrayPool<byte>.Shared.Rent(RawSize);
        int got = _inner.ReceiveIfReady(_raw, timeout);
        if (got <= 0)
        {
            ReleaseRaw();
            return got;
        }

        _rawPos = 0;
        _rawEnd = got;
        return got;
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_rawPos >= _rawEnd)
        {
            _raw ??= ArrayPool<byte>.Shared.Rent(RawSize);
            int got;
            try
            {
                // The client may be waiting for what we hold (a handshake flight, 100 Continue);
                // its answer cannot be there yet, so wait for it before reading, not after a
                // read that finds nothing.
                if (!NonBlocking && SendHeld() && !_inner.WaitForReadable(ReceiveTimeout))
                {
                    throw new ConnectionTimeoutException("recv: timed out");
                }

                got = NonBlocking ? _inner.ReceiveIfReady(_raw, ReceiveTimeout) : _inner.Receive(_raw, ReceiveTimeout);
            }
            catch
            {
                ReleaseRaw();
                throw;
            }

            if (got <= 0)
            {
                ReleaseRaw();
                return got == 0 ? 0 : throw WouldBlockException.Instance;
            }

            _rawPos = 0;
            _rawEnd = got;
        }

        // At most to the end of the current record: what follows stays here, visible to HasRawInput.
        int n = ToRecordEnd(_raw!.AsSpan(_rawPos, Math.Min(buffer.Length, _rawEnd - _rawPos)));
        _raw.AsSpan(_rawPos, n).CopyTo(buffer);
        _rawPos += n;
        if (_rawPos >= _rawEnd)
        {
            ReleaseRaw();
        }

        return n;
    }

    /// <summary>How many of these next bytes belong to the current record (all of them if it does not end among them); moves past them.</summary>
    private int ToRecordEnd(ReadOnlySpan<byte> next)
    {
        int i = 0;
        while (i < next.Length)
        {
            if (_headerSeen < 5)
            {
                if (_headerSeen == 3)
                {
                    _lengthHigh = next[i];
                }
                else if (_headerSeen == 4)
                {
                    _bodyLeft = (_lengthHigh << 8) | next[i];
                }

                i++;
                if (++_headerSeen == 5 && _bodyLeft == 0)
                {
                    _headerSeen = 0;
                    return i;
                }

                continue;
            }

            int take = Math.Min(_bodyLeft, next.Length - i);
            i += take;
            _bodyLeft -= take;
            if (_bodyLeft == 0)
            {
                _headerSeen = 0;
                return i;
            }
        }

        return i;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            if (SuspendAfter is { } wait && !NonBlocking && _rawPos >= _rawEnd && !buffer.IsEmpty)
            {
                return ReadOrSuspend(buffer, wait);
            }

            return ValueTask.FromResult(Read(buffer.Span));
        }
        catch (Exception e)
        {
            return ValueTask.FromException<int>(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>
    /// The client's turn in the handshake: our flight leaves, and its answer, which on a near
    /// network comes within microseconds, is waited for up to <paramref name="wait"/> on this
    /// thread. A client slower than that gets a read that completes later (<see cref="ResumeRead"/>),
    /// so the handshake's caller can give the connection back to the MPM without a worker.
    /// </summary>
    private ValueTask<int> ReadOrSuspend(Memory<byte> buffer, TimeSpan wait)
    {
        // After a flight its answer cannot be there yet: poll, not a read that finds nothing.
        int n = SendHeld() ? -1 : Fill(wait);
        if (n < 0 && _inner.WaitForReadable(wait))
        {
            n = Fill(wait);
        }

        if (n >= 0)
        {
            return ValueTask.FromResult(n == 0 ? 0 : Read(buffer.Span));
        }

        _suspended = new TaskCompletionSource<int>();
        _suspendedBuffer = buffer;
        return new ValueTask<int>(_suspended.Task);
    }

    /// <summary>
    /// Completes the read the handshake waits on, with what the socket has now: the handshake goes
    /// on, on this thread, to its end or to its next read (which may suspend again). False, and the
    /// read still waiting, when there is nothing to read yet.
    /// </summary>
    public bool ResumeRead()
    {
        TaskCompletionSource<int> read = _suspended ?? throw new InvalidOperationException("no read is suspended");
        int n;
        try
        {
            n = Fill(SuspendAfter ?? ReceiveTimeout);
            if (n < 0)
            {
                return false;
            }

            n = n == 0 ? 0 : Read(_suspendedBuffer.Span);
        }
        catch (Exception e) when (e is ConnectionResetException or ConnectionTimeoutException)
        {
            FailRead(e);
            return true;
        }

        _suspended = null;
        _suspendedBuffer = default;
        read.SetResult(n);
        return true;
    }

    /// <summary>Ends the suspended read, if any, with <paramref name="error"/> (a timeout, or the connection is gone): the handshake fails on this thread.</summary>
    public void FailRead(Exception error)
    {
        TaskCompletionSource<int>? read = _suspended;
        _suspended = null;
        _suspendedBuffer = default;
        read?.SetException(error);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_heldCount + buffer.Length <= HoldLimit && HoldOutput)
        {
            _held ??= ArrayPool<byte>.Shared.Rent(HoldLimit);
            buffer.CopyTo(_held.AsSpan(_heldCount));
            _heldCount += buffer.Length;
            return;
        }

        if (_heldCount == 0)
        {
            _inner.Send(buffer, SendTimeout);
            return;
        }

        // What is held and this record in one send.
        byte[] both = ArrayPool<byte>.Shared.Rent(_heldCount + buffer.Length);
        try
        {
            _held!.AsSpan(0, _heldCount).CopyTo(both);
            buffer.CopyTo(both.AsSpan(_heldCount));
            _inner.Send(both.AsSpan(0, _heldCount + buffer.Length), SendTimeout);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(both);
            ReleaseHeld();
        }
    }

    /// <summary>Sends the held output now (the connection is about to wait, or the engine flushes); false when there was none.</summary>
    public bool SendHeld()
    {
        if (_heldCount == 0)
        {
            return false;
        }

        try
        {
            _inner.Send(_held!.AsSpan(0, _heldCount), SendTimeout);
        }
        finally
        {
            ReleaseHeld();
        }

        return true;
    }

    /// <summary>Forgets the held output and gives its buffer back (sent, or the connection is done).</summary>
    public void ReleaseHeld()
    {
        if (_held is not null)
        {
            ArrayPool<byte>.Shared.Return(_held);
            _held = null;
        }

        _heldCount = 0;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
        catch (Exception e)
        {
            return ValueTask.FromException(e);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // SslStream flushes after each handshake message it writes; held output leaves when the
    // handshake reads the client's answer (Read), or when the connection waits (SendHeld).
    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>A read in non-blocking mode found nothing to read (an IOException, so SslStream passes it through unwrapped).</summary>
internal sealed class WouldBlockException : IOException
{
    public static readonly WouldBlockException Instance = new();

    public WouldBlockException()
        : base("no input yet")
    {
    }

    public WouldBlockException(string message)
        : base(message)
    {
    }

    public WouldBlockException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
