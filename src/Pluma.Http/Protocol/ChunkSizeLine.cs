namespace Pluma.Http.Protocol;

/// <summary>What a chunk-size line says.</summary>
internal enum ChunkSizeLineResult
{
    Valid,

    /// <summary>Not chunk-size [chunk-ext]: a 400, and the connection closes.</summary>
    Malformed,

    /// <summary>More hex digits than a 63-bit size holds: Apache 2.4.71 answers 413 (http_filters.c parse_chunk_size).</summary>
    TooLarge,
}

/// <summary>
/// The line that opens a chunk, without its CRLF (RFC 9112 7.1, 7.1.1):
/// <code>
/// chunk-size [ chunk-ext ]
/// chunk-size     = 1*HEXDIG
/// chunk-ext      = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
/// chunk-ext-name = token
/// chunk-ext-val  = token / quoted-string
/// </code>
/// Read to the letter, where Apache 2.4.71 skips whatever follows a ';' and any whitespace
/// after the size: a bare ';', whitespace with no extension after it, or a value that is
/// neither a token nor a quoted-string is a line two parsers may read differently, so it is
/// refused. Extensions themselves are ignored, as RFC 9112 7.1.1 asks of unknown ones.
/// </summary>
internal static class ChunkSizeLine
{
    private const byte SP = (byte)' ';
    private const byte HT = (byte)'\t';
    private const byte DQuote = (byte)'"';

    /// <summary>
    /// Reads <paramref name="line"/>; <paramref name="extensionLength"/> is how many bytes follow
    /// the size digits (the caller bounds their total, RFC 9112 7.1.1).
    /// </summary>
    public static ChunkSizeLineResult Parse(ReadOnlySpan<byte> line, out long size, out int extensionLength)
    {
        size = 0;
        extensionLength = 0;
        int i = 0;
        for (; i < line.Length && char.IsAsciiHexDigit((char)line[i]); i++)
        {
            if ((size >> 59) != 0)
            {
                return ChunkSizeLineResult.TooLarge; // one more digit would pass 2^63 - 1
            }

            int c = line[i];
            size = (size << 4) | (long)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }

        if (i == 0)
        {
            return ChunkSizeLineResult.Malformed;
        }

        extensionLength = line.Length - i;

        while (i < line.Length)
        {
            // BWS ";" BWS chunk-ext-name
            i = SkipWhitespace(line, i);
            if (i == line.Length || line[i] != (byte)';')
            {
                return ChunkSizeLineResult.Malformed; // whitespace after the size that leads to no extension, or junk
            }

            i = SkipWhitespace(line, i + 1);
            int name = TokenLength(line[i..]);
            if (name == 0)
            {
                return ChunkSizeLineResult.Malformed; // a bare ';'
            }

            i += name;

            // [ BWS "=" BWS chunk-ext-val ]
            int afterName = i;
            i = SkipWhitespace(line, i);
            if (i == line.Length || line[i] != (byte)'=')
            {
                i = afterName; // the whitespace belongs to the next ';', or ends the line (and is refused)
                continue;
            }

            i = SkipWhitespace(line, i + 1);
            int value = i < line.Length && line[i] == DQuote ? QuotedStringLength(line[i..]) : TokenLength(line[i..]);
            if (value == 0)
            {
                return ChunkSizeLineResult.Malformed;
            }

            i += value;
        }

        return ChunkSizeLineResult.Valid;
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && line[i] is SP or HT)
        {
            i++;
        }

        return i;
    }

    private static int TokenLength(ReadOnlySpan<byte> text)
    {
        int n = 0;
        while (n < text.Length && HttpParser.IsTokenChar(text[n]))
        {
            n++;
        }

        return n;
    }

    /// <summary>
    /// quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE (RFC 9110 5.6.4), starting at the
    /// opening quote; its length with both quotes, or 0 if it does not close or holds a control.
    /// </summary>
    private static int QuotedStringLength(ReadOnlySpan<byte> text)
    {
        for (int i = 1; i < text.Length; i++)
        {
            byte c = text[i];
            if (c == DQuote)
            {
                return i + 1;
            }

            if (c == (byte)'\\')
            {
                // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
                if (++i == text.Length || !IsTextOrSpace(text[i]))
                {
                    return 0;
                }
            }
            else if (!IsTextOrSpace(c))
            {
                return 0;
            }
        }

        return 0;
    }

    /// <summary>HTAB / SP / VCHAR / obs-text: every byte but the other controls and DEL.</summary>
    private static bool IsTextOrSpace(byte c) => c is HT or >= SP and not 0x7f;
}
