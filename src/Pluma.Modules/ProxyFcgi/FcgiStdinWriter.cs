namespace Pluma.Modules.ProxyFcgi;

/// <summary>
/// Frames a request body as FCGI_STDIN records: each piece of at most 65535 bytes behind its
/// header, and the empty record that tells the application the body has ended.
/// </summary>
public sealed class FcgiStdinWriter
{
    /// <summary>Writes all of <paramref name="data"/> (to the backend's socket).</summary>
    public delegate void Sink(ReadOnlySpan<byte> data);

    private readonly Sink _sink;
    private readonly ushort _requestId;

    public FcgiStdinWriter(Sink sink, ushort requestId)
    {
        _sink = sink;
        _requestId = requestId;
    }

    /// <summary>Sends <paramref name="data"/>, split into records as needed; nothing for an empty span (an empty record would end the body).</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[FcgiCodec.HeaderLength];
        while (!data.IsEmpty)
        {
            int n = Math.Min(data.Length, FcgiCodec.MaxContentLength);
            FcgiCodec.WriteHeader(header, FcgiRecordType.Stdin, _requestId, n);
            _sink(header);
            _sink(data[..n]);
            data = data[n..];
        }
    }

    /// <summary>The empty FCGI_STDIN record: end of the body.</summary>
    public void End()
    {
        Span<byte> header = stackalloc byte[FcgiCodec.HeaderLength];
        FcgiCodec.WriteHeader(header, FcgiRecordType.Stdin, _requestId, 0);
        _sink(header);
    }
}
