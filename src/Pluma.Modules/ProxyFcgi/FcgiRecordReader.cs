namespace Pluma.Modules.ProxyFcgi;

/// <summary>
/// Reads FastCGI records from a byte source (a backend socket, or bytes in a test): a header,
/// then its content in as many pieces as the caller's buffer takes, then its padding. A record
/// of any length up to 65535 bytes passes through a smaller buffer.
/// </summary>
public sealed class FcgiRecordReader
{
    /// <summary>Reads up to <c>destination.Length</c> bytes; 0 at the end of the stream.</summary>
    public delegate int Source(Span<byte> destination);

    private readonly Source _source;
    private int _contentLeft;
    private int _paddingLeft;

    public FcgiRecordReader(Source source)
    {
        _source = source;
    }

    /// <summary>Content bytes of the current record not read yet.</summary>
    public int ContentLeft => _contentLeft;

    /// <summary>
    /// The next record's header, after skipping what is left of the current record. False when
    /// the stream ends cleanly before a header; <see cref="System.IO.EndOfStreamException"/> when
    /// it ends inside one (or inside the record being skipped).
    /// </summary>
    public bool TryReadHeader(out FcgiHeader header)
    {
        header = default;
        Skip(_contentLeft + _paddingLeft);
        _contentLeft = _paddingLeft = 0;
        Span<byte> h = stackalloc byte[FcgiCodec.HeaderLength];
        int got = 0;
        while (got < h.Length)
        {
            int n = _source(h[got..]);
            if (n == 0)
            {
                if (got == 0)
                {
                    return false;
                }

                throw new System.IO.EndOfStreamException("the FastCGI stream ended inside a record header");
            }

            got += n;
        }

        header = FcgiHeader.Parse(h);
        _contentLeft = header.ContentLength;
        _paddingLeft = header.PaddingLength;
        return true;
    }

    /// <summary>Reads content of the current record (at most what is left of it); 0 when its content is all read.</summary>
    public int ReadContent(Span<byte> destination)
    {
        if (_contentLeft == 0 || destination.IsEmpty)
        {
            return 0;
        }

        int n = _source(destination[..Math.Min(destination.Length, _contentLeft)]);
        if (n == 0)
        {
            throw new System.IO.EndOfStreamException("the FastCGI stream ended inside a record");
        }

        _contentLeft -= n;
        return n;
    }

    /// <summary>Reads and drops the rest of the current record, content and padding.</summary>
    public void SkipRecord()
    {
        Skip(_contentLeft + _paddingLeft);
        _contentLeft = _paddingLeft = 0;
    }

    private void Skip(int count)
    {
        Span<byte> sink = stackalloc byte[512];
        while (count > 0)
        {
            int n = _source(sink[..Math.Min(sink.Length, count)]);
            if (n == 0)
            {
                throw new System.IO.EndOfStreamException("the FastCGI stream ended inside a record");
            }

            count -= n;
        }
    }
}
