using System.Buffers;
using System.Text;
using Pluma.Http.Http2.Hpack;

namespace Pluma.Http.Http2;

/// <summary>
/// Collects one request's decoded header block, checks it as RFC 9113 8.2 and 8.3 require
/// (lower-case names, pseudo-header fields first and once each, no connection-specific fields,
/// no CR, LF or NUL in values), and writes the HTTP/1.1 head the request pipeline reads: the
/// stream is served by the same engine as an HTTP/1.1 request, as mod_http2 serves each stream
/// on a secondary connection. Reused for every block of a connection.
/// </summary>
internal sealed class Http2RequestHead : IHpackHeaderSink, IDisposable
{
    private byte[] _fields = ArrayPool<byte>.Shared.Rent(4096);
    private int _fieldsLength;
    private byte[]? _method;
    private byte[]? _path;
    private byte[]? _authority;
    private bool _scheme;
    private bool _regularSeen;
    private byte[]? _cookie;
    private bool _hostSeen;

    /// <summary>Why the block is malformed, or null.</summary>
    public string? Error { get; private set; }

    /// <summary>The content-length field's value, or -1.</summary>
    public long ContentLength { get; private set; }

    public bool IsHead { get; private set; }

    /// <summary>Trailers: no pseudo-header fields allowed (8.1).</summary>
    public bool IsTrailer { get; private set; }

    public void Begin(bool trailer)
    {
        _fieldsLength = 0;
        _method = _path = _authority = _cookie = null;
        _scheme = _regularSeen = _hostSeen = false;
        Error = null;
        ContentLength = -1;
        IsHead = false;
        IsTrailer = trailer;
    }

    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (Error is not null)
        {
            return;
        }

        if (!ValidValue(value))
        {
            Error = "invalid field value";
            return;
        }

        if (name.Length > 0 && name[0] == (byte)':')
        {
            OnPseudo(name, value);
            return;
        }

        _regularSeen = true;
        if (!ValidName(name))
        {
            Error = "invalid field name";
            return;
        }

        if (name.SequenceEqual("connection"u8) || name.SequenceEqual("keep-alive"u8) || name.SequenceEqual("proxy-connection"u8)
            || name.SequenceEqual("transfer-encoding"u8) || name.SequenceEqual("upgrade"u8))
        {
            Error = "connection-specific field"; // 8.2.2
            return;
        }

        if (name.SequenceEqual("te"u8) && !value.SequenceEqual("trailers"u8))
        {
            Error = "te other than trailers";
            return;
        }

        if (name.SequenceEqual("cookie"u8))
        {
            // 8.2.3: several cookie fields are one field joined with "; " in HTTP/1.1.
            _cookie = _cookie is null ? value.ToArray() : [.. _cookie, (byte)';', (byte)' ', .. value];
            return;
        }

        if (name.SequenceEqual("content-length"u8))
        {
            if (!long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long length)
                || (ContentLength >= 0 && ContentLength != length))
            {
                Error = "invalid content-length";
                return;
            }

            ContentLength = length;
        }

        if (name.SequenceEqual("host"u8))
        {
            if (_authority is not null)
            {
                return; // :authority wins (8.3.1)
            }

            _hostSeen = true;
        }

        AppendField(name, value);
    }

    private void OnPseudo(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (_regularSeen || IsTrailer)
        {
            Error = "pseudo-header field after a regular field or in trailers";
            return;
        }

        if (name.SequenceEqual(":method"u8) && _method is null)
        {
            _method = value.ToArray();
            IsHead = value.SequenceEqual("HEAD"u8);
        }
        else if (name.SequenceEqual(":path"u8) && _path is null)
        {
            _path = value.ToArray();
        }
        else if (name.SequenceEqual(":authority"u8) && _authority is null)
        {
            _authority = value.ToArray();
        }
        else if (name.SequenceEqual(":scheme"u8) && !_scheme)
        {
            _scheme = true;
        }
        else
        {
            Error = "unknown or repeated pseudo-header field";
        }
    }

    /// <summary>
    /// Completes a request block: writes the HTTP/1.1 head into <paramref name="destination"/>
    /// (rented here, the caller returns it). Chunked framing is announced when a body follows
    /// without a content-length. False, with <see cref="Error"/>, when the block is malformed.
    /// </summary>
    public bool TryWriteRequest(bool bodyFollows, out byte[] destination, out int length)
    {
        destination = [];
        length = 0;
        if (Error is null)
        {
            bool connect = _method is not null && _method.AsSpan().SequenceEqual("CONNECT"u8);
            if (_method is null || (!connect && (!_scheme || _path is null || _path.Length == 0)))
            {
                Error = "missing :method, :scheme or :path";
            }
        }

        if (Error is not null)
        {
            return false;
        }

        byte[] target = _path ?? _authority ?? [];
        int size = _method!.Length + target.Length + 16 + (_authority?.Length ?? 0) + 8 + _fieldsLength + (_cookie?.Length ?? 0) + 12 + 32 + 2;
        destination = ArrayPool<byte>.Shared.Rent(size);
        var w = new SpanWriter(destination);
        w.Write(_method);
        w.Write(" "u8);
        w.Write(target);
        w.Write(" HTTP/1.1\r\n"u8);
        if (_authority is not null && !_hostSeen)
        {
            w.Write("Host: "u8);
            w.Write(_authority);
            w.Write("\r\n"u8);
        }

        w.Write(_fields.AsSpan(0, _fieldsLength));
        if (_cookie is not null)
        {
            w.Write("cookie: "u8);
            w.Write(_cookie);
            w.Write("\r\n"u8);
        }

        if (bodyFollows && ContentLength < 0)
        {
            w.Write("Transfer-Encoding: chunked\r\n"u8);
        }

        w.Write("\r\n"u8);
        length = w.Length;
        return true;
    }

    /// <summary>The trailer fields as HTTP/1.1 trailer lines (for the last chunk).</summary>
    public ReadOnlySpan<byte> TrailerLines => _fields.AsSpan(0, _fieldsLength);

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_fields);
        _fields = [];
    }

    private void AppendField(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        int need = _fieldsLength + name.Length + value.Length + 4;
        if (need > _fields.Length)
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(need, _fields.Length * 2));
            _fields.AsSpan(0, _fieldsLength).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_fields);
            _fields = bigger;
        }

        var w = new SpanWriter(_fields.AsSpan(_fieldsLength));
        w.Write(name);
        w.Write(": "u8);
        w.Write(value);
        w.Write("\r\n"u8);
        _fieldsLength += w.Length;
    }

    // RFC 9113 8.2.1: a token, no upper case.
    private static bool ValidName(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty)
        {
            return false;
        }

        foreach (byte b in name)
        {
            if (b <= 0x20 || b >= 0x7f || (b >= (byte)'A' && b <= (byte)'Z') || "\"(),/:;<=>?@[\\]{}"u8.Contains(b))
            {
                return false;
            }
        }

        return true;
    }

    // RFC 9113 8.2.1: no NUL, CR or LF anywhere, no whitespace at either end.
    private static bool ValidValue(ReadOnlySpan<byte> value)
    {
        if (value.IndexOfAny((byte)0, (byte)'\r', (byte)'\n') >= 0)
        {
            return false;
        }

        return value.IsEmpty || (value[0] is not ((byte)' ' or (byte)'\t') && value[^1] is not ((byte)' ' or (byte)'\t'));
    }

    public override string ToString() => Encoding.Latin1.GetString(_fields, 0, _fieldsLength);
}
