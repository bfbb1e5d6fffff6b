using System.Globalization;

namespace Pluma.Http.Protocol;

/// <summary>
/// HTTP-date (RFC 9110 5.6.7): IMF-fixdate out, and in also the two obsolete forms
/// (RFC 850 and asctime), as apr_date_parse_http accepts them.
/// </summary>
public static class HttpDate
{
    private static readonly string[] s_days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    private static readonly string[] s_months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>Length of an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT").</summary>
    public const int Length = 29;

    /// <summary>Writes <paramref name="time"/> as IMF-fixdate into <paramref name="destination"/> (29 bytes).</summary>
    public static int Format(DateTime time, Span<byte> destination)
    {
        DateTime t = time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time;
        string day = s_days[(int)t.DayOfWeek];
        string month = s_months[t.Month - 1];
        destination[0] = (byte)day[0];
        destination[1] = (byte)day[1];
        destination[2] = (byte)day[2];
        destination[3] = (byte)',';
        destination[4] = (byte)' ';
        Two(destination[5..], t.Day);
        destination[7] = (byte)' ';
        destination[8] = (byte)month[0];
        destination[9] = (byte)month[1];
        destination[10] = (byte)month[2];
        destination[11] = (byte)' ';
        Two(destination[12..], t.Year / 100);
        Two(destination[14..], t.Year % 100);
        destination[16] = (byte)' ';
        Two(destination[17..], t.Hour);
        destination[19] = (byte)':';
        Two(destination[20..], t.Minute);
        destination[22] = (byte)':';
        Two(destination[23..], t.Second);
        " GMT"u8.CopyTo(destination[25..]);
        return Length;
    }

    /// <summary>IMF-fixdate as a string.</summary>
    public static string Format(DateTime time)
    {
        Span<byte> buffer = stackalloc byte[Length];
        Format(time, buffer);
        return System.Text.Encoding.ASCII.GetString(buffer);
    }

    /// <summary>Parses any of the three HTTP-date forms; false for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTime utc)
    {
        text = text.Trim();
        ReadOnlySpan<string> formats =
        [
            "ddd, dd MMM yyyy HH:mm:ss 'GMT'",  // IMF-fixdate
            "dddd, dd-MMM-yy HH:mm:ss 'GMT'",   // RFC 850
            "ddd MMM d HH:mm:ss yyyy",          // asctime, day padded with a space
            "ddd MMM  d HH:mm:ss yyyy",
        ];
        foreach (string format in formats)
        {
            if (DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out utc))
            {
                utc = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
                return true;
            }
        }

        utc = default;
        return false;
    }

    /// <summary>
    /// Apache's apr_date_parse_http, without allocating: skips the weekday (anything up to the
    /// first space), then takes IMF-fixdate, RFC 850, asctime or a one-digit-day IMF date, and
    /// ignores whatever follows the time (the zone included). Gives Unix seconds; false where
    /// Apache gets APR_DATE_BAD (which its callers then compare as 0).
    /// </summary>
    public static bool TryParseSeconds(ReadOnlySpan<byte> text, out long unixSeconds)
    {
        unixSeconds = 0;
        int start = 0;
        while (start < text.Length && IsSpace(text[start]))
        {
            start++;
        }

        int space = text[start..].IndexOf((byte)' ');
        if (start == text.Length || space < 0)
        {
            return false;
        }

        ReadOnlySpan<byte> d = text[(start + space + 1)..];
        int year, day, month, time;
        if (Mask(d, "## @$$ #### ##:##:## *"))
        {
            year = (Digits(d, 7) * 100) + Digits(d, 9);
            day = Digits(d, 0);
            month = 3;
            time = 12;
        }
        else if (Mask(d, "##-@$$-## ##:##:## *"))
        {
            year = Digits(d, 7);
            year += year < 70 ? 2000 : 1900;
            day = Digits(d, 0);
            month = 3;
            time = 10;
        }
        else if (Mask(d, "@$$ ~# ##:##:## ####*"))
        {
            year = (Digits(d, 16) * 100) + Digits(d, 18);
            day = (d[4] == (byte)' ' ? 0 : (d[4] - '0') * 10) + (d[5] - '0');
            month = 0;
            time = 7;
        }
        else if (Mask(d, "# @$$ #### ##:##:## *"))
        {
            year = (Digits(d, 6) * 100) + Digits(d, 8);
            day = d[0] - '0';
            month = 2;
            time = 11;
        }
        else
        {
            return false;
        }

        int hour = Digits(d, time), minute = Digits(d, time + 3), second = Digits(d, time + 6);
        int mon = MonthIndex(d.Slice(month, 3));

        // apr_time_exp_get refuses years before 1970; seconds up to 61 pass, as in APR.
        if (year < 1970 || day is <= 0 or > 31 || hour > 23 || minute > 59 || second > 61 || mon < 0)
        {
            return false;
        }

        if (day == 31 && mon is 3 or 5 or 8 or 10)
        {
            return false;
        }

        if (mon == 1 && (day > 29 || (day == 29 && !DateTime.IsLeapYear(year))))
        {
            return false;
        }

        long days = (new DateOnly(year, mon + 1, 1).DayNumber - s_unixEpochDay) + day - 1;
        unixSeconds = (days * 86400) + (hour * 3600) + (minute * 60) + second;
        return true;
    }

    /// <summary>Unix seconds of <paramref name="utc"/>, rounded down (apr_time_sec).</summary>
    public static long ToUnixSeconds(DateTime utc) => (long)Math.Floor((utc.Ticks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerSecond);

    private static readonly int s_unixEpochDay = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';

    private static int Digits(ReadOnlySpan<byte> d, int at) => ((d[at] - '0') * 10) + (d[at + 1] - '0');

    private static int MonthIndex(ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < s_months.Length; i++)
        {
            string m = s_months[i];
            if (name[0] == m[0] && name[1] == m[1] && name[2] == m[2])
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>apr_date_checkmask: @ upper, $ lower, # digit, ~ digit or space, * rest ignored.</summary>
    private static bool Mask(ReadOnlySpan<byte> data, string mask)
    {
        for (int i = 0; i < mask.Length; i++)
        {
            char m = mask[i];
            if (m == '*')
            {
                return true;
            }

            if (i >= data.Length)
            {
                return false;
            }

            byte c = data[i];
            bool ok = m switch
            {
                '@' => c is >= (byte)'A' and <= (byte)'Z',
                '$' => c is >= (byte)'a' and <= (byte)'z',
                '#' => c is >= (byte)'0' and <= (byte)'9',
                '~' => c is (byte)' ' or (>= (byte)'0' and <= (byte)'9'),
                _ => c == m,
            };
            if (!ok)
            {
                return false;
            }
        }

        return data.Length == mask.Length;
    }

    private static void Two(Span<byte> destination, int value)
    {
        destination[0] = (byte)('0' + (value / 10));
        destination[1] = (byte)('0' + (value % 10));
    }
}
