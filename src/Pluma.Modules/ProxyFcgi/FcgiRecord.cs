using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;

namespace Pluma.Modules.ProxyFcgi;

/// <summary>The FastCGI 1.0 record types Pluma sends or reads (the specification's section 8).</summary>
public enum FcgiRecordType : byte
{
    BeginRequest = 1,
    AbortRequest = 2,
    EndRequest = 3,
    Params = 4,
    Stdin = 5,
    Stdout = 6,
    Stderr = 7,
    Data = 8,
    GetValues = 9,
    GetValuesResult = 10,
    UnknownType = 11,
}

/// <summary>One record's 8-byte header: version, type, request id, content and padding lengths.</summary>
public readonly record struct FcgiHeader(byte Version, FcgiRecordType Type, ushort RequestId, ushort ContentLength, byte PaddingLength)
{
    /// <summary>Reads a header from its 8 bytes (no check of the version: the caller decides what a bad one means).</summary>
    public static FcgiHeader Parse(ReadOnlySpan<byte> header)
    {
        if (header.Length < FcgiCodec.HeaderLength)
        {
            throw new ArgumentException("a FastCGI header is 8 bytes", nameof(header));
        }

        return new FcgiHeader(header[0], (FcgiRecordType)header[1], BinaryPrimitives.ReadUInt16BigEndian(header[2..]),
            BinaryPrimitives.ReadUInt16BigEndian(header[4..]), header[6]);
    }
}

/// <summary>
/// The FastCGI record layer as a pure codec (no sockets): the header, FCGI_BEGIN_REQUEST's body,
/// the name-value pairs of FCGI_PARAMS (1- or 4-byte lengths) and the splitting of a stream
/// into records of at most 65535 content bytes. Apache's choices are kept: request id 1, no
/// padding on what it sends, parameters cut into records of at most 16 KiB with each pair whole.
/// </summary>
public static class FcgiCodec
{
    public const int HeaderLength = 8;

    public const byte Version1 = 1;

    /// <summary>The largest content a record can carry (a 16-bit length).</summary>
    public const int MaxContentLength = 65535;

    /// <summary>Apache's bound on one FCGI_PARAMS record's content (send_environment's avail_len).</summary>
    public const int ParamsRecordLimit = 16 * 1024;

    /// <summary>FCGI_RESPONDER, the only role proxy_fcgi asks for.</summary>
    public const ushort RoleResponder = 1;

    /// <summary>FCGI_KEEP_CONN: the application keeps the connection open after the request.</summary>
    public const byte KeepConnection = 1;

    /// <summary>Writes a record header into <paramref name="destination"/>[0..8].</summary>
    public static void WriteHeader(Span<byte> destination, FcgiRecordType type, ushort requestId, int contentLength, byte paddingLength = 0)
    {
        if ((uint)contentLength > MaxContentLength)
        {
            throw new ArgumentOutOfRangeException(nameof(contentLength), "a FastCGI record carries at most 65535 bytes");
        }

        destination[0] = Version1;
        destination[1] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], requestId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)contentLength);
        destination[6] = paddingLength;
        destination[7] = 0;
    }

    /// <summary>FCGI_BEGIN_REQUEST as one 16-byte record: header, role Responder, flags, five reserved bytes.</summary>
    public static byte[] BeginRequest(ushort requestId, bool keepConnection)
    {
        byte[] record = new byte[HeaderLength * 2];
        WriteHeader(record, FcgiRecordType.BeginRequest, requestId, HeaderLength);
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(HeaderLength), RoleResponder);
        record[HeaderLength + 2] = keepConnection ? KeepConnection : (byte)0;
        return record;
    }

    /// <summary>The encoded size of one name-value pair (a length below 128 takes one byte, else four).</summary>
    public static int PairLength(int nameLength, int valueLength) =>
        (nameLength < 128 ? 1 : 4) + (valueLength < 128 ? 1 : 4) + nameLength + valueLength;

    /// <summary>Appends one name-value pair (names and values as Latin-1 bytes, as the environment's bytes are).</summary>
    public static void AppendPair(List<byte> destination, string name, string value)
    {
        byte[] n = Encoding.Latin1.GetBytes(name);
        byte[] v = Encoding.Latin1.GetBytes(value);
        AppendLength(destination, n.Length);
        AppendLength(destination, v.Length);
        destination.AddRange(n);
        destination.AddRange(v);
    }

    private static void AppendLength(List<byte> destination, int length)
    {
        if (length < 128)
        {
            destination.Add((byte)length);
            return;
        }

        destination.Add((byte)((length >> 24) | 0x80));
        destination.Add((byte)(length >> 16));
        destination.Add((byte)(length >> 8));
        destination.Add((byte)length);
    }

    /// <summary>
    /// The FCGI_PARAMS stream for <paramref name="pairs"/>: records of at most
    /// <paramref name="recordLimit"/> content bytes, each pair in one record, then the empty
    /// record that ends the stream. A pair that cannot fit in a record on its own is left out and
    /// named in <paramref name="skipped"/> (Apache's AH02536).
    /// </summary>
    public static byte[] EncodeParams(IReadOnlyList<KeyValuePair<string, string>> pairs, ushort requestId, List<string> skipped, int recordLimit = ParamsRecordLimit)
    {
        var output = new List<byte>(1024);
        var body = new List<byte>(Math.Min(recordLimit, 4096));
        foreach (var (name, value) in pairs)
        {
            int length = PairLength(Encoding.Latin1.GetByteCount(name), Encoding.Latin1.GetByteCount(value));
            if (length > recordLimit)
            {
                skipped.Add(name);
                continue;
            }

            if (body.Count + length > recordLimit)
            {
                Flush(output, body, requestId);
            }

            AppendPair(body, name, value);
        }

        Flush(output, body, requestId);
        AppendHeader(output, FcgiRecordType.Params, requestId, 0);
        return [.. output];
    }

    private static void Flush(List<byte> output, List<byte> body, ushort requestId)
    {
        if (body.Count == 0)
        {
            return;
        }

        AppendHeader(output, FcgiRecordType.Params, requestId, body.Count);
        output.AddRange(body);
        body.Clear();
    }

    private static void AppendHeader(List<byte> output, FcgiRecordType type, ushort requestId, int length)
    {
        Span<byte> h = stackalloc byte[HeaderLength];
        WriteHeader(h, type, requestId, length);
        foreach (byte b in h)
        {
            output.Add(b);
        }
    }

    /// <summary>
    /// Decodes name-value pairs from a params body (the application side; used to check what is
    /// sent). Returns false on a truncated pair.
    /// </summary>
    public static bool TryDecodePairs(ReadOnlySpan<byte> body, List<KeyValuePair<string, string>> pairs)
    {
        int i = 0;
        while (i < body.Length)
        {
            if (!TryReadLength(body, ref i, out int nameLength) || !TryReadLength(body, ref i, out int valueLength)
                || (long)i + nameLength + valueLength > body.Length)
            {
                return false;
            }

            string name = Encoding.Latin1.GetString(body.Slice(i, nameLength));
            string value = Encoding.Latin1.GetString(body.Slice(i + nameLength, valueLength));
            pairs.Add(new(name, value));
            i += nameLength + valueLength;
        }

        return true;
    }

    private static bool TryReadLength(ReadOnlySpan<byte> body, ref int i, out int length)
    {
        length = 0;
        if (i >= body.Length)
        {
            return false;
        }

        if (body[i] < 128)
        {
            length = body[i++];
            return true;
        }

        if (i + 4 > body.Length)
        {
            return false;
        }

        length = (int)(BinaryPrimitives.ReadUInt32BigEndian(body[i..]) & 0x7fffffff);
        i += 4;
        return true;
    }

    /// <summary>
    /// How many records of at most <see cref="MaxContentLength"/> bytes a stream chunk of
    /// <paramref name="length"/> bytes takes (FCGI_STDIN: a larger chunk is split).
    /// </summary>
    public static int RecordCount(int length) => length == 0 ? 0 : ((length - 1) / MaxContentLength) + 1;
}
