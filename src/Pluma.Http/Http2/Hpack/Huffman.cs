namespace Pluma.Http.Http2.Hpack;

/// <summary>HPACK's Huffman string coding (RFC 7541 5.2, Appendix B).</summary>
internal static class Huffman
{
    /// <summary>Octets the Huffman form of <paramref name="source"/> takes.</summary>
    public static int EncodedLength(ReadOnlySpan<byte> source)
    {
        long bits = 0;
        foreach (byte b in source)
        {
            bits += HuffmanCode.Length(b);
        }

        return (int)((bits + 7) >> 3);
    }

    /// <summary>Encodes into <paramref name="destination"/> (at least <see cref="EncodedLength"/> octets).</summary>
    public static int Encode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ulong acc = 0;
        int bits = 0;
        int n = 0;
        foreach (byte b in source)
        {
            int len = HuffmanCode.Length(b);
            acc = (acc << len) | HuffmanCode.Codes[b];
            bits += len;
            while (bits >= 8)
            {
                bits -= 8;
                destination[n++] = (byte)(acc >> bits);
            }
        }

        if (bits > 0)
        {
            // Padding is the most significant bits of EOS: all ones (5.2).
            destination[n++] = (byte)((acc << (8 - bits)) | (0xffu >> bits));
        }

        return n;
    }

    /// <summary>
    /// Decodes into <paramref name="destination"/>, which must hold the result (a Huffman string
    /// decodes to at most 8/5 of its length). Throws on EOS, padding longer than 7 bits or not
    /// all ones (5.2: a decoding error), or a destination too small.
    /// </summary>
    public static int Decode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ulong acc = 0;
        int bits = 0;
        int n = 0;
        foreach (byte b in source)
        {
            acc = (acc << 8) | b;
            bits += 8;
            while (bits >= HuffmanCode.MinLength)
            {
                int symbol = -1;
                int len = HuffmanCode.MinLength;
                int max = Math.Min(bits, HuffmanCode.MaxLength);
                for (; len <= max; len++)
                {
                    uint code = (uint)(acc >> (bits - len)) & ((1u << len) - 1);
                    uint offset = code - HuffmanCode.FirstCode[len];
                    if (offset < (uint)HuffmanCode.CountOfLength[len])
                    {
                        symbol = HuffmanCode.SymbolsByCode[HuffmanCode.FirstIndex[len] + (int)offset];
                        break;
                    }
                }

                if (symbol < 0)
                {
                    if (bits >= HuffmanCode.MaxLength)
                    {
                        throw new HpackException("invalid Huffman code");
                    }

                    break; // a longer code: wait for the next octet
                }

                if (symbol == HuffmanCode.Eos)
                {
                    throw new HpackException("EOS in a Huffman string");
                }

                if (n == destination.Length)
                {
                    throw new HpackException("Huffman string too long");
                }

                destination[n++] = (byte)symbol;
                bits -= len;
                acc &= (1UL << bits) - 1;
            }
        }

        if (bits > 7 || acc != (1UL << bits) - 1)
        {
            throw new HpackException("invalid Huffman padding");
        }

        return n;
    }
}
