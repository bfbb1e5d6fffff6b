namespace Pluma.Http.Http2.Hpack;

/// <summary>Receives the fields of a decoded header block, in order.</summary>
public interface IHpackHeaderSink
{
    /// <summary>One field; the spans are valid only during the call.</summary>
    void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);
}
