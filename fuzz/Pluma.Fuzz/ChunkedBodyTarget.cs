using System.IO;
using System.Text;

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

    /// <summary>Longest trailer line: LimitRequestFieldSize (8190) + 2, as the decoder reads trailers.</summary>
    private const int MaxTrailerLine = 8192;

    private const long LimitRequestBody = 1L << 30;

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

    /// <summary>The reference: chunk = chunk-size [BWS] [";" ext without CTLs] CRLF data CRLF; last-chunk, trailer lines, CRLF.</summary>
    private static Expected Decode(byte[] input)
    {
        var body = new MemoryStream();
        int pos = 0;
        while (true)
        {
            if (!TakeLine(input, ref pos, MaxChunkLine, out ReadOnlySpan<byte> line))
            {
                return new Expected(Verdict.Invalid, null);
            }

            int digits = 0;
            long size = 0;
            while (digits < line.Length && Uri.IsHexDigit((char)line[digits]))
            {
                if (digits == 15)
                {
                    return new Expected(Verdict.Invalid, null); // 16 hex digits may overflow: refused
                }

                size = (size << 4) + HexValue(line[digits]);
                digits++;
            }

            int i = digits;
            while (i < line.Length && line[i] is (byte)' ' or (byte)'\t')
            {
                i++;
            }

            if (digits == 0 || (i < line.Length && line[i] != (byte)';'))
            {
                return new Expected(Verdict.Invalid, null);
            }

            foreach (byte c in line[i..])
            {
                if ((c < 0x20 && c != (byte)'\t') || c == 0x7f)
                {
                    return new Expected(Verdict.Invalid, null);
                }
            }

            if (body.Length + size > LimitRequestBody)
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
