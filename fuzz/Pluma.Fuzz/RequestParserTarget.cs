using System.Collections.Generic;
using Pluma.Http;
using Pluma.Http.Internal;
using Pluma.Http.Protocol;

namespace Pluma.Fuzz;

/// <summary>
/// The request-head parser (HttpParser) as the engine drives it: the request line, then header
/// fields, over a buffer that grows as bytes arrive. Promises checked, for Apache's strict
/// protocol, the lax one (HttpProtocolOptions Unsafe) and tiny limits:
/// <list type="bullet">
/// <item>the outcome does not depend on where the bytes were split (one read or many);</item>
/// <item>"need more" consumes nothing of the request line, and nothing is ever consumed past the
///   bytes present or backwards; a finished head ends on its LF;</item>
/// <item>what was taken is what RFC 9112 allows: a token method, a target without controls or
///   spaces, token field names, values without controls and without surrounding whitespace,
///   no more fields than LimitRequestFields, no line longer than its limit;</item>
/// <item>whatever strict parsing accepts, lax parsing accepts the same way.</item>
/// </list>
/// </summary>
public static class RequestParserTarget
{
    private static readonly HttpServerOptions s_strict = new();
    private static readonly HttpServerOptions s_lax = new() { StrictProtocol = false };
    private static readonly HttpServerOptions s_tiny = new() { LimitRequestLine = 24, LimitRequestFieldSize = 24, LimitRequestFields = 3 };

    public static void Run(byte[] input)
    {
        Outcome strict = CheckSplits(input, s_strict);
        Outcome lax = CheckSplits(input, s_lax);
        CheckSplits(input, s_tiny);
        if (strict.Result == ParseResult.Done)
        {
            Invariant.Check(lax.Result == ParseResult.Done && lax.Position == strict.Position && lax.Summary == strict.Summary, "lax parsing takes what strict parsing takes, the same way");
        }

        EngineTarget.Serve(input);
    }

    /// <summary>Parses in one go, then again with the bytes arriving at many split points: same outcome.</summary>
    private static Outcome CheckSplits(byte[] input, HttpServerOptions options)
    {
        Outcome whole = Parse(input, options, [input.Length]);
        foreach (int[] splits in SplitPlans(input.Length))
        {
            Outcome split = Parse(input, options, splits);
            Invariant.Check(split.Equals(whole), "the outcome does not depend on split points: " + whole + " vs " + split);
        }

        return whole;
    }

    private static IEnumerable<int[]> SplitPlans(int length)
    {
        // Byte by byte for short heads; for long ones every 7th byte and halves.
        int step = length <= 512 ? 1 : 7;
        var every = new List<int>();
        for (int k = step; k < length; k += step)
        {
            every.Add(k);
        }

        every.Add(length);
        yield return [.. every];
        yield return [length / 2, length];
    }

    private readonly record struct Outcome(ParseResult Result, int Position, RequestRejection Rejection, string Summary);

    /// <summary>Drives the parser as Http1Connection.ReadHead does, the buffer growing to each split point in turn.</summary>
    private static Outcome Parse(byte[] input, HttpServerOptions options, int[] splits)
    {
        int position = 0;
        int fieldCount = 0;
        bool lineParsed = false;
        StartLine line = default;
        var handler = new FieldCollector { Fields = [] };
        foreach (int end in splits)
        {
            ReadOnlySpan<byte> data = input.AsSpan(0, end);
            int before = position;
            ParseResult result;
            RequestRejection rejection;
            if (!lineParsed)
            {
                result = HttpParser.TakeStartLine(data, ref position, options, out line, out rejection);
                CheckConsumed(before, position, end);
                if (result == ParseResult.NeedMore)
                {
                    Invariant.Check(position == before, "need-more consumes nothing of the request line");
                    continue;
                }

                if (result == ParseResult.Rejected)
                {
                    return new Outcome(result, position, rejection, "rejected line");
                }

                lineParsed = true;
                CheckLine(input, line, position, options);
                if (line.Version == 9)
                {
                    return new Outcome(result, position, rejection, Describe(input, line, handler.Fields));
                }

                before = position;
            }

            result = HttpParser.TakeHeaders(data, ref position, ref fieldCount, options, ref handler, out rejection);
            CheckConsumed(before, position, end);
            Invariant.Check(handler.Fields.Count <= options.LimitRequestFields, "no more fields than LimitRequestFields");
            if (result == ParseResult.NeedMore)
            {
                continue;
            }

            if (result == ParseResult.Rejected)
            {
                return new Outcome(result, position, rejection, "rejected fields after " + Describe(input, line, handler.Fields));
            }

            Invariant.Check(fieldCount == handler.Fields.Count, "the field count is the number of fields handed out");
            Invariant.Check(input[position - 1] == (byte)'\n', "a finished head ends on its LF");
            CheckFields(input, handler.Fields, line, position, options);
            return new Outcome(result, position, rejection, Describe(input, line, handler.Fields));
        }

        return new Outcome(ParseResult.NeedMore, position, RequestRejection.None, lineParsed ? "need more fields" : "need more line");
    }

    private static void CheckConsumed(int before, int after, int available) =>
        Invariant.Check(after >= before && after <= available, "the parser consumes forward and never past the bytes it got");

    private static void CheckLine(byte[] input, StartLine line, int position, HttpServerOptions options)
    {
        Invariant.Check(line.LineStart >= 0 && line.LineStart + line.LineLength < position, "the request line lies within what was consumed");
        Invariant.Check(line.LineLength <= options.LimitRequestLine + 1, "the request line is within LimitRequestLine (+1, as Apache)");
        ReadOnlySpan<byte> method = input.AsSpan(line.MethodStart, line.MethodLength);
        Invariant.Check(line.MethodStart == line.LineStart && (HttpParser.IsToken(method) || (!options.StrictProtocol && !HasControlOrSpace(method))), "the method is a token (Unsafe: no control or space) at the start of the line");
        Invariant.Check(line.TargetStart > line.MethodStart + line.MethodLength && line.TargetStart + line.TargetLength <= line.LineStart + line.LineLength, "the target lies after the method, within the line");
        foreach (byte c in input.AsSpan(line.TargetStart, line.TargetLength))
        {
            Invariant.Check(c > 0x20 && c != 0x7f, "the target holds no control or space");
        }

        Invariant.Check(line.Version == 9 || (line.Version >= 1000 && line.Version <= 9009 && line.Version % 1000 <= 9), "the version is 0.9 or DIGIT.DIGIT from 1.0 up");
    }

    private static void CheckFields(byte[] input, List<Field> fields, StartLine line, int position, HttpServerOptions options)
    {
        foreach (Field f in fields)
        {
            Invariant.Check(f.NameStart > line.LineStart + line.LineLength && f.ValueStart + f.ValueLength < position, "a field lies between the request line and the end of the head");
            ReadOnlySpan<byte> name = input.AsSpan(f.NameStart, f.NameLength);
            Invariant.Check(HttpParser.IsToken(name) || (!options.StrictProtocol && !name.IsEmpty && name.IndexOfAny(" \t\0"u8) < 0), "a field name is a token (Unsafe: no whitespace or NUL)");
            ReadOnlySpan<byte> value = input.AsSpan(f.ValueStart, f.ValueLength);
            foreach (byte c in value)
            {
                // Unsafe lets every control but NUL through, as Apache 2.4.71 does.
                Invariant.Check(options.StrictProtocol ? (c >= 0x20 || c == (byte)'\t') && c != 0x7f : c != 0, "a field value holds no control but HT (Unsafe: no NUL)");
            }

            Invariant.Check(value.IsEmpty || (value[0] is not (byte)' ' and not (byte)'\t' && value[^1] is not (byte)' ' and not (byte)'\t'), "a field value is trimmed");
            Invariant.Check(f.ValueStart + f.ValueLength - f.NameStart <= options.LimitRequestFieldSize + 1, "a field line is within LimitRequestFieldSize");
        }
    }

    private static bool HasControlOrSpace(ReadOnlySpan<byte> bytes)
    {
        foreach (byte c in bytes)
        {
            if (c <= 0x20 || c == 0x7f)
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(byte[] input, StartLine line, List<Field> fields)
    {
        var text = new System.Text.StringBuilder();
        text.Append(System.Text.Encoding.Latin1.GetString(input, line.LineStart, line.LineLength)).Append('|').Append(line.Version);
        foreach (Field f in fields)
        {
            text.Append('|').Append(System.Text.Encoding.Latin1.GetString(input, f.NameStart, f.NameLength))
                .Append(':').Append(System.Text.Encoding.Latin1.GetString(input, f.ValueStart, f.ValueLength)).Append('+').Append(f.Folds);
        }

        return text.ToString();
    }

    private struct Field
    {
        public int NameStart;
        public int NameLength;
        public int ValueStart;
        public int ValueLength;
        public int Folds;
    }

    /// <summary>Keeps every field as offsets; a continuation is counted on the field it folds into (Apache joins it with one space).</summary>
    private struct FieldCollector : IHttpHeadersHandler
    {
        public List<Field> Fields;
        private int _foldedLength;

        public void OnHeader(ReadOnlySpan<byte> buffer, int nameStart, int nameLength, int valueStart, int valueLength)
        {
            Fields.Add(new Field { NameStart = nameStart, NameLength = nameLength, ValueStart = valueStart, ValueLength = valueLength });
            _foldedLength = valueStart + valueLength - nameStart;
        }

        public int OnContinuation(ReadOnlySpan<byte> buffer, int valueStart, int valueLength)
        {
            Field last = Fields[^1];
            last.Folds++;
            Fields[^1] = last;
            _foldedLength += 1 + valueLength;
            return _foldedLength;
        }
    }
}
