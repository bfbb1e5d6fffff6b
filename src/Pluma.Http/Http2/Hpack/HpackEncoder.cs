namespace Pluma.Http.Http2.Hpack;

/// <summary>
/// Encodes response header blocks without the dynamic table: :status by static index where the
/// table has it, other fields as literals without indexing (6.2.2) with a static name index when
/// one exists, strings Huffman-coded when shorter. Using no dynamic table keeps the encoder
/// stateless, so any SETTINGS_HEADER_TABLE_SIZE the client announces is honoured (RFC 7541 4.2).
/// </summary>
public static class HpackEncoder
{
    /// <summary>Octets a field may take at most (for sizing the destination).</summary>
    public static int MaxFieldLength(int nameLength, int valueLength) => nameLength + valueLength + 16;

    /// <summary>Writes :status; returns the octets written (at most 5).</summary>
    public static int EncodeStatus(int status, Span<byte> destination)
    {
        int index = HpackStaticTable.FindStatus(status);
        if (index != 0)
        {
            return HpackInteger.Encode(destination, index, 7, 0x80);
        }

        // Literal without indexing, name :status (static 8), three raw digits.
        destination[0] = 0x08;
        destination[1] = 3;
        destination[2] = (byte)('0' + (status / 100 % 10));
        destination[3] = (byte)('0' + (status / 10 % 10));
        destination[4] = (byte)('0' + (status % 10));
        return 5;
    }

    /// <summary>
    /// Writes one field as a literal without indexing. <paramref name="name"/> must already be
    /// lower case (RFC 9113 8.2.1). Returns the octets written.
    /// </summary>
    public static int EncodeField(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, Span<byte> destination)
    {
        int n;
        int nameIndex = HpackStaticTable.FindName(name);
        if (nameIndex != 0)
        {
            n = HpackInteger.Encode(destination, nameIndex, 4, 0x00);
        }
        else
        {
            destination[0] = 0x00;
            n = 1 + EncodeString(name, destination[1..]);
        }

        return n + EncodeString(value, destination[n..]);
    }

    /// <summary>A string literal (5.2), Huffman-coded when that is shorter.</summary>
    public static int EncodeString(ReadOnlySpan<byte> value, Span<byte> destination)
    {
        int huffmanLength = Huffman.EncodedLength(value);
        if (huffmanLength < value.Length)
        {
            int n = HpackInteger.Encode(destination, huffmanLength, 7, 0x80);
            return n + Huffman.Encode(value, destination[n..]);
        }

        int m = HpackInteger.Encode(destination, value.Length, 7, 0x00);
        value.CopyTo(destination[m..]);
        return m + value.Length;
    }
}
