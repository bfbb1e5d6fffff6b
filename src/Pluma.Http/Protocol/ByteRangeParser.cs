namespace Pluma.Http.Protocol;

/// <summary>
/// Apache 2.4's Range handling (byterange_filter.c ap_set_byterange and the filter's limits):
/// "bytes=" then comma-separated specs of digits only; one invalid spec voids the whole header
/// (200); specs starting at or past the end are dropped, and 416 when none is left; each spec
/// that touches or overlaps the one before is merged into it; "0-" alone stands for the whole
/// representation and ends the list. The merged ranges come out in request order.
/// </summary>
public static class ByteRangeParser
{
    /// <summary>
    /// Parses <paramref name="value"/> (the Range field, "bytes=" included) against a
    /// representation of <paramref name="length"/> bytes. <paramref name="ranges"/> receives the
    /// merged ranges (cleared first; its capacity grows only for requests with many ranges).
    /// </summary>
    public static RangeOutcome Parse(ReadOnlySpan<byte> value, long length, RangeLimits limits, ref ByteRange[] ranges, out int count)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        count = 0;
        if (length <= 0 || value.Length < 6 || !System.Text.Ascii.EqualsIgnoreCase(value[..6], "bytes="u8))
        {
            return RangeOutcome.Full;
        }

        ReadOnlySpan<byte> rest = value[6..];
        long sumLengths = 0, openFirst = 0, openLast = 0;
        int overlaps = 0, reversals = 0;
        bool inMerge = false, unsatisfiable = false;
        while (true)
        {
            // ap_getword: runs of commas separate words; an empty word ends the list.
            while (!rest.IsEmpty && rest[0] == (byte)',')
            {
                rest = rest[1..];
            }

            if (rest.IsEmpty)
            {
                break;
            }

            int comma = rest.IndexOf((byte)',');
            ReadOnlySpan<byte> spec = comma < 0 ? rest : rest[..comma];
            rest = comma < 0 ? default : rest[comma..];

            int dash = spec.IndexOf((byte)'-');
            if (dash < 0)
            {
                return RangeOutcome.Full;
            }

            long first, last;
            if (dash == 0)
            {
                // "-N": the last N bytes.
                if (!TryNumber(spec[1..], out long suffix) || suffix < 1)
                {
                    return RangeOutcome.Full;
                }

                first = length - suffix;
                last = length - 1;
            }
            else
            {
                if (!TryNumber(spec[..dash], out first))
                {
                    return RangeOutcome.Full;
                }

                if (dash + 1 < spec.Length)
                {
                    if (!TryNumber(spec[(dash + 1)..], out last) || first > last)
                    {
                        return RangeOutcome.Full;
                    }
                }
                else
                {
                    last = length - 1;
                    if (first == 0)
                    {
                        // "0-" means everything: forget the other ranges.
                        count = 0;
                        sumLengths = 0;
                        inMerge = true;
                        openFirst = 0;
                        openLast = last;
                        break;
                    }
                }
            }

            if (first < 0)
            {
                first = 0;
            }

            if (first >= length)
            {
                unsatisfiable = true;
                continue;
            }

            if (last >= length)
            {
                last = length - 1;
            }

            if (!inMerge)
            {
                openFirst = first;
                openLast = last;
                inMerge = true;
                continue;
            }

            inMerge = first >= openFirst && last <= openLast;
            if (first < openFirst && last >= openFirst - 1)
            {
                openFirst = first;
                reversals++;
                inMerge = true;
            }

            if (last >= openLast && first <= openLast + 1)
            {
                openLast = last;
                inMerge = true;
            }

            if (inMerge)
            {
                overlaps++;
                continue;
            }

            Push(ref ranges, ref count, new ByteRange(openFirst, openLast));
            sumLengths += openLast - openFirst + 1;
            openFirst = first;
            openLast = last;
            inMerge = true;
        }

        if (inMerge)
        {
            Push(ref ranges, ref count, new ByteRange(openFirst, openLast));
            sumLengths += openLast - openFirst + 1;
        }
        else if (count == 0 && unsatisfiable)
        {
            // Apache checks its limits only against satisfiable ranges: even MaxRanges none answers 416.
            return RangeOutcome.NotSatisfiable;
        }

        // Ranges that add up to more than the representation are not worth serving.
        if (sumLengths > length || count == 0)
        {
            count = 0;
            return RangeOutcome.Full;
        }

        if ((limits.MaxRanges >= 0 && count > limits.MaxRanges) ||
            (limits.MaxOverlaps >= 0 && overlaps > limits.MaxOverlaps) ||
            (limits.MaxReversals >= 0 && reversals > limits.MaxReversals))
        {
            count = 0;
            return RangeOutcome.Full;
        }

        return RangeOutcome.Partial;
    }

    private static void Push(ref ByteRange[] ranges, ref int count, ByteRange range)
    {
        if (count == ranges.Length)
        {
            Array.Resize(ref ranges, Math.Max(4, ranges.Length * 2));
        }

        ranges[count++] = range;
    }

    /// <summary>1*DIGIT that fits a long (apr_strtoff refuses overflow; 2.4.71 refuses signs and spaces).</summary>
    private static bool TryNumber(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty)
        {
            return false;
        }

        foreach (byte c in digits)
        {
            if (c is < (byte)'0' or > (byte)'9' || value > (long.MaxValue - 9) / 10)
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
