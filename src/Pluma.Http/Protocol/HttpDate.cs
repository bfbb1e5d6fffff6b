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

    private static void Two(Span<byte> destination, int value)
    {
        destination[0] = (byte)('0' + (value / 10));
        destination[1] = (byte)('0' + (value % 10));
    }
}
