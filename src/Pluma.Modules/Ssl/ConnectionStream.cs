using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Pluma.Connections;

namespace Pluma.Modules.Ssl;

/// <summary>
/// The TCP connection as the Stream SslStream reads and writes: blocking calls on the worker's
/// thread (the async overloads complete synchronously too, so no thread-pool thread ever runs
/// a handshake), the bytes of a ClientHello already read first, and a non-blocking mode in
/// which a read that would wait throws <see cref="WouldBlockException"/> instead (SslStream
/// keeps a partial record in its buffer and rethrows, so the read can be retried later).
/// </summary>
internal sealed class ConnectionStream : Stream
{
    private readonly Connection _inner;
    private byte[]? _prefix;
    private int _prefixPos;
    private int _prefixEnd;

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

    /// <summary>When set, a read that finds nothing throws <see cref="WouldBlockException"/>.</summary>
    public bool NonBlocking { get; set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Bytes read before SslStream took over (the ClientHello): served first.</summary>
    public void SetPrefix(byte[] buffer, int count)
    {
        _prefix = buffer;
        _prefixPos = 0;
        _prefixEnd = count;
    }

    /// <summary>The prefix buffer once SslStream has read it all (to give back to its pool), else null.</summary>
    public byte[]? TakeConsumedPrefix()
    {
        if (_prefix is not null && _prefixPos >= _prefixEnd)
        {
            byte[] p = _prefix;
            _prefix = null;
            return p;
        }

        return null;
    }

    public override int Read(Span<byte> buffer)
    {
        if (_prefix is not null && _prefixPos < _prefixEnd)
        {
            int n = Math.Min(buffer.Length, _prefixEnd - _prefixPos);
            _prefix.AsSpan(_prefixPos, n).CopyTo(buffer);
            _prefixPos += n;
            return n;
        }

        if (NonBlocking)
        {
            int got = _inner.ReceiveIfReady(buffer, ReceiveTimeout);
            return got >= 0 ? got : throw WouldBlockException.Instance;
        }

        return _inner.Receive(buffer, ReceiveTimeout);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return ValueTask.FromResult(Read(buffer.Span));
        }
        catch (Exception e)
        {
            return ValueTask.FromException<int>(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(ReadOnlySpan<byte> buffer) => _inner.Send(buffer, SendTimeout);

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
