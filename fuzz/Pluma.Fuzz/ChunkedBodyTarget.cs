using System.IO;
using System.Text;
using System.Text.RegularExpressions;

namespace Pluma.Fuzz;

/// <summary>
/// The chunked request-body decoder (Http1Connection.Body.cs), driven through the engine: the
/// input is the body of a <c>Transfer-Encoding: chunked</c> POST. A small reference decoder
/// written from RFC 9112 7.1 with Pluma's (Apache's) limits says what the body is; promises:
/// <list type="bullet">
/// <item>a body the reference accepts is read whole: its length is the sum of the chunk sizes
///   and its bytes are the chunks' data;</item>
/// <item>a body the reference refuses is never delivered whole: the reader throws 400 (or 413
///   for LimitRequestBody) and the connection closes;</item>
/// <item>the result does not depend on how the bytes were split (EngineTarget).</item>
/// </list>
/// </summary>
public static class ChunkedBodyTarget
{
    private static readonly byte[] s_head = Encoding.ASCII.GetBytes("POST /upload HTTP/1.1\r\nHost: fuzz\r\nTransfer-Encoding: chunked\r\n\r\n");

    /// <summary>Longest chunk-size line Pluma waits for (MaxChunkLine in Http1Connection.Body.cs).</summary>
    private const int MaxChunkLine = 8192;

    /// <summary>Chunk extensions in all, per request (RFC 9112 7.1.1 asks for a bound; Pluma's is one line's worth).</summary>
    private const int MaxExtensionBytes = 8192;

    /// <summary>Longest trailer line: LimitRequestFieldSize (8190) + 1, as header lines are read.</summary>
    private const int MaxTrailerLine = 8191;

    /// <summary>LimitRequestFields: trailer fields count against it as header fields do.</summary>
    private const int MaxTrailerFields = 100;

    private const long LimitRequestBody = 1L << 30;

    /// <summary>RFC 9110 5.6.2 tchar.</summary>
    private const string TChar = @"[!#$%&'*+\-.^_`|~0-9A-Za-z]";

    /// <summary>RFC 9110 5.6.4 quoted-string: qdtext or quoted-pair between quotes, no controls but HTAB.</summary>
    private const string QuotedString = @"""(?:[\t \x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t \x21-\x7e\x80-\xff])*""";

    /// <summary>RFC 9112 7.1.1 chunk-ext, read to the letter: *( BWS ";" BWS name [ BWS "=" BWS token / quoted-string ] ).</summary>
    private static readonly Regex s_chunkExtensions = new(
        @"^(?:[ \t]*;[ \t]*" + TChar + @"+(?:[ \t]*=[ \t]*(?:" + TChar + "+|" + QuotedString + @"))?)*\z",
        RegexOptions.CultureInvariant);

    /// <summary>RFC 9112 5: field-name ":" OWS field-value OWS, the value without controls but HTAB.</summary>
    private static readonly Regex s_fieldLine = new(
        "^(" + TChar + @"+):[ \t]*[\t \x21-\x7e\x80-\xff]*\z",
        RegexOptions.CultureInvariant);

    /// <summary>RFC 9110 6.5.1: fields a sender must not put in trailers; Pluma refuses them (400).</summary>
    private static readonly string[] s_forbiddenTrailers =
    [
        "content-length", "transfer-encoding", "trailer", "host", "connection", "keep-alive", "upgrade", "te",
        "proxy-connection", "expect", "authorization", "proxy-authorization", "content-type", "content-encoding",
        "content-range",
    ];

    public static void Run(byte[] input)
    {
        byte[] request = [.. s_head, .. input];
        EngineTarget.EngineRun run = EngineTarget.Serve(request);
        Invariant.Check(run.Requests.Count >= 1, "the chunked request reaches the application");
        EngineTarget.RequestSeen first = run.Requests[0];
        Expected expected = Decode(input);
        switch (expected.Verdict)
        {
            case Verdict.Body:
                Invariant.Check(first.Body is not null, "a valid chunked body is delivered (was refused with " + first.RejectedWith + ")");
                Invariant.Check(first.Body!.Length == expected.Body!.Length, "the body's length is the sum of the chunk sizes");
                Invariant.Check(first.Body.AsSpan().SequenceEqual(expected.Body), "the body is the chunks' data");
                break;
            case Verdict.TooLarge:
                Invariant.Check(first.Body is null && first.RejectedWith == 413, "a body over LimitRequestBody is refused with 413");
                break;
            default:
                Invariant.Check(first.Body is null && first.RejectedWith == 400, "an invalid or cut chunked body is refused with 400 (was " + (first.Body is null ? first.RejectedWith.ToString(System.Globalization.CultureInfo.InvariantCulture) : "delivered") + ")");
                Invariant.Check(run.Requests.Count == 1, "nothing after a refused chunked body is read as a request");
                break;
        }
    }

    private enum Verdict
    {
        Body,
        Invalid,
        TooLarge,
    }

    private sealed record Expected(Verdict Verdict, byte[]? Body);

    /// <summary>
    /// The reference, written from RFC 9112 7.1 as Pluma reads it (HttpProtocolOptions Strict):
    /// chunk-size [chunk-ext] CRLF data CRLF ..., last-chunk, trailer field lines, CRLF. Leading
    /// zeros of a size are not significant (Apache skips them too); a size past 2^63 - 1 or past
    /// LimitRequestBody is 413, checked as soon as the digits are read.
    /// </summary>
    private static Expected Decode(byte[] input)
    {
        var body = new MemoryStream();
        int pos = 0;
        int extensionBytes = 0;
        while (true)
        {
            if (!TakeLine(input, ref pos, MaxChunkLine, out ReadOnlySpan<byte> line))
            {
                return new Expected(Verdict.Invalid, null);
            }

            int digits = 0;
            while (digits < line.Length && Uri.IsHexDigit((char)line[digits]))
            {
                digits++;
            }

            if (digits == 0)
            {
                return new Expected(Verdict.Invalid, null);
            }

            // Pluma refuses (413) as soon as the digits pass 2^63 - 1, before the extensions.
            ReadOnlySpan<byte> significant = line[..digits].TrimStart((byte)'0');
            if (significant.Length > 16 || (significant.Length == 16 && HexValue(significant[0]) >= 8))
            {
                return new Expected(Verdict.TooLarge, null);
            }

            long size = 0;
            foreach (byte c in significant)
            {
                size = (size << 4) + HexValue(c);
            }

            ReadOnlySpan<byte> extensions = line[digits..];
            if (!s_chunkExtensions.IsMatch(Encoding.Latin1.GetString(extensions)))
            {
                return new Expected(Verdict.Invalid, null);
            }

            extensionBytes += extensions.Length;
            if (extensionBytes > MaxExtensionBytes)
            {
                return new Expected(Verdict.Invalid, null);
            }

            if (size > LimitRequestBody - body.Length)
            {
                return new Expected(Verdict.TooLarge, null);
            }

            if (size == 0)
            {
                break;
            }

            if (input.Length - pos < size + 2 || input[pos + (int)size] != (byte)'\r' || input[pos + (int)size + 1] != (byte)'\n')
            {
                return new Expected(Verdict.Invalid, null);
            }

            body.Write(input, pos, (int)size);
            pos += (int)size + 2;
        }

        int fields = 0;
        while (true)
        {
            if (!TakeLine(input, ref pos, MaxTrailerLine, out ReadOnlySpan<byte> trailer))
            {
                return new Expected(Verdict.Invalid, null);
            }

            if (trailer.IsEmpty)
            {
                return new Expected(Verdict.Body, body.ToArray());
            }

            // No obs-fold (a line opening with whitespace), a token name right before the colon,
            // no controls in the value, no more than LimitRequestFields, no framing or routing name.
            Match field = s_fieldLine.Match(Encoding.Latin1.GetString(trailer));
            if (!field.Success || ++fields > MaxTrailerFields
                || Array.IndexOf(s_forbiddenTrailers, field.Groups[1].Value.ToLowerInvariant()) >= 0)
            {
                return new Expected(Verdict.Invalid, null);
            }
        }
    }

    /// <summary>A line ended by CRLF (a bare LF ends nothing), at most <paramref name="limit"/> bytes before it.</summary>
    private static bool TakeLine(byte[] input, ref int pos, int limit, out ReadOnlySpan<byte> line)
    {
        line = default;
        int lf = Array.IndexOf(input, (byte)'\n', pos);
        if (lf < 0 || lf == pos || input[lf - 1] != (byte)'\r' || lf - 1 - pos > limit)
        {
            return false;
        }

        line = input.AsSpan(pos, lf - 1 - pos);
        pos = lf + 1;
        return true;
    }

    private static int HexValue(byte c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>For the tests: the reference decoder's verdict, "body:N", "invalid" or "too large".</summary>
    public static string ReferenceVerdict(byte[] input)
    {
        Expected e = Decode(input);
        return e.Verdict switch
        {
            Verdict.Body => "body:" + e.Body!.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Verdict.TooLarge => "too large",
            _ => "invalid",
        };
    }
}
