namespace Pluma.Http.Http2.Hpack;

/// <summary>
/// HPACK's static Huffman code (RFC 7541 Appendix B). The code is canonical: codes of one
/// length are consecutive and ordered by symbol, shorter lengths first. So the lengths alone
/// define it and the codes are rebuilt from them (HuffmanTests checks them against the RFC's).
/// </summary>
internal static class HuffmanCode
{
    public const int Eos = 256;
    public const int MinLength = 5;
    public const int MaxLength = 30;

    /// <summary>Code length in bits of symbols 0..255 and EOS (256), as Appendix B lists them.</summary>
    private static ReadOnlySpan<byte> Lengths =>
    [
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, // 0-15
        28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28, // 16-31
        6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, // 32-47 ' '..'/'
        5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10, // 48-63 '0'..'?'
        13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, // 64-79 '@'..'O'
        7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6, // 80-95 'P'..'_'
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, // 96-111 '`'..'o'
        6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28, // 112-127 'p'..DEL
        20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, // 128-143
        24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, // 144-159
        22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, // 160-175
        21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, // 176-191
        26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, // 192-207
        19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27, // 208-223
        20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, // 224-239
        26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, // 240-255
        30, // EOS
    ];

    /// <summary>Codes of symbols 0..256, right-aligned.</summary>
    public static readonly uint[] Codes = new uint[257];

    /// <summary>Per length: the first code of that length and how many codes have it.</summary>
    public static readonly uint[] FirstCode = new uint[MaxLength + 1];
    public static readonly int[] CountOfLength = new int[MaxLength + 1];

    /// <summary>Per length: where its symbols start in <see cref="SymbolsByCode"/>.</summary>
    public static readonly int[] FirstIndex = new int[MaxLength + 1];

    /// <summary>The symbols in code order (length, then symbol).</summary>
    public static readonly short[] SymbolsByCode = new short[257];

    public static int Length(int symbol) => Lengths[symbol];

#pragma warning disable CA1810 // the tables are derived together in one pass
    static HuffmanCode()
#pragma warning restore CA1810
    {
        int index = 0;
        uint code = 0;
        for (int len = 1; len <= MaxLength; len++)
        {
            FirstCode[len] = code;
            FirstIndex[len] = index;
            for (int sym = 0; sym <= Eos; sym++)
            {
                if (Lengths[sym] == len)
                {
                    Codes[sym] = code++;
                    SymbolsByCode[index++] = (short)sym;
                    CountOfLength[len]++;
                }
            }

            code <<= 1;
        }
    }
}
