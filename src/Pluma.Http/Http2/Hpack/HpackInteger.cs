namespace Pluma.Http.Http2.Hpack;

/// <summary>HPACK's prefixed integers (RFC 7541 5.1).</summary>
internal static class HpackInteger
{
    // Five continuation octets carry 35 bits: more than any length or index we accept.
    private const int MaxContinuationOctets = 5;

    /// <summary>
    /// Decodes an integer whose first octet is <c>source[pos]</c> with an N-bit prefix;
    /// advances <paramref name="pos"/>. Throws on truncation or a value above int.MaxValue.
    /// </summary>
    public static int Decode(ReadOnlySpan<byte> source, ref int pos, int prefixBits)
    {
        if (pos >= source.Length)
        {
            throw new HpackException("truncated integer");
        }

        int max = (1 << prefixBits) - 1;
        int value = source[pos++] & max;
        if (value < max)
        {
            return value;
        }

        long result = value;
        for (int shift = 0, n = 0; ; shift += 7, n++)
        {
            if (n == MaxContinuationOctets || pos >= source.Length)
            {
                throw new HpackException("integer too long or truncated");
            }

            byte b = source[pos++];
            result += (long)(b & 0x7f) << shift;
            if (result > int.MaxValue)
            {
                throw new HpackException("integer overflow");
            }

            if ((b & 0x80) == 0)
            {
                return (int)result;
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="value"/> with an N-bit prefix, OR-ing <paramref name="firstBits"/>
    /// (the representation's pattern) into the first octet. Returns the octets written.
    /// </summary>
    public static int Encode(Span<byte> destination, int value, int prefixBits, byte firstBits)
    {
        int max = (1 << prefixBits) - 1;
        if (value < max)
        {
            destination[0] = (byte)(firstBits | value);
            return 1;
        }

        destination[0] = (byte)(firstBits | max);
        int n = 1;
        value -= max;
        while (value >= 0x80)
        {
            destination[n++] = (byte)((value & 0x7f) | 0x80);
            value >>= 7;
        }

        destination[n++] = (byte)value;
        return n;
    }
}
