using System.Globalization;
using System.Text;

namespace Pluma.Modules.LogConfig;

/// <summary>%t and %{format}t: Apache's CLF time and a C strftime subset, in the time's own offset.</summary>
public static class LogTime
{
    private static readonly string[] s_months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    private static readonly string[] s_monthsLong = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    private static readonly string[] s_days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    private static readonly string[] s_daysLong = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

    // %t changes once a second: each thread keeps its last rendering (Apache caches it the same way).
    [ThreadStatic]
    private static long t_cachedTicks;

    [ThreadStatic]
    private static string? t_cachedClf;

    /// <summary><c>[28/Nov/2026:14:41:11 +0000]</c></summary>
    public static string Clf(DateTimeOffset t)
    {
        long key = (t.UtcTicks / TimeSpan.TicksPerSecond * 4096) + (long)t.Offset.TotalMinutes;
        if (t_cachedClf is not null && t_cachedTicks == key)
        {
            return t_cachedClf;
        }

        t_cachedTicks = key;
        return t_cachedClf = Format(t);
    }

    private static string Format(DateTimeOffset t)
    {
        TimeSpan off = t.Offset;
        char sign = off < TimeSpan.Zero ? '-' : '+';
        off = off.Duration();
        return string.Create(CultureInfo.InvariantCulture,
            $"[{t.Day:00}/{s_months[t.Month - 1]}/{t.Year}:{t.Hour:00}:{t.Minute:00}:{t.Second:00} {sign}{off.Hours:00}{off.Minutes:00}]");
    }

    /// <summary>C strftime for the specifiers log formats use; unknown ones are copied as written.</summary>
    public static string Strftime(DateTimeOffset t, string format)
    {
        var sb = new StringBuilder(format.Length + 16);
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c != '%' || i + 1 >= format.Length)
            {
                sb.Append(c);
                continue;
            }

            char f = format[++i];
            CultureInfo inv = CultureInfo.InvariantCulture;
            switch (f)
            {
                case 'a': sb.Append(s_days[(int)t.DayOfWeek]); break;
                case 'A': sb.Append(s_daysLong[(int)t.DayOfWeek]); break;
                case 'b': case 'h': sb.Append(s_months[t.Month - 1]); break;
                case 'B': sb.Append(s_monthsLong[t.Month - 1]); break;
                case 'd': sb.Append(t.Day.ToString("00", inv)); break;
                case 'e': sb.Append(t.Day.ToString(inv).PadLeft(2)); break;
                case 'H': sb.Append(t.Hour.ToString("00", inv)); break;
                case 'I': sb.Append(((t.Hour + 11) % 12 + 1).ToString("00", inv)); break;
                case 'j': sb.Append(t.DayOfYear.ToString("000", inv)); break;
                case 'm': sb.Append(t.Month.ToString("00", inv)); break;
                case 'M': sb.Append(t.Minute.ToString("00", inv)); break;
                case 'p': sb.Append(t.Hour < 12 ? "AM" : "PM"); break;
                case 'S': sb.Append(t.Second.ToString("00", inv)); break;
                case 'y': sb.Append((t.Year % 100).ToString("00", inv)); break;
                case 'Y': sb.Append(t.Year.ToString(inv)); break;
                case 'T': sb.Append(t.ToString("HH:mm:ss", inv)); break;
                case 'D': sb.Append(t.ToString("MM/dd/yy", inv)); break;
                case 'F': sb.Append(t.ToString("yyyy-MM-dd", inv)); break;
                case 'R': sb.Append(t.ToString("HH:mm", inv)); break;
                case 's': sb.Append(t.ToUnixTimeSeconds().ToString(inv)); break;
                case 'u': sb.Append(t.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)t.DayOfWeek); break;
                case 'w': sb.Append((int)t.DayOfWeek); break;
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case '%': sb.Append('%'); break;
                case 'z':
                    TimeSpan off = t.Offset;
                    sb.Append(off < TimeSpan.Zero ? '-' : '+').Append(off.Duration().Hours.ToString("00", inv)).Append(off.Duration().Minutes.ToString("00", inv));
                    break;
                case 'Z': sb.Append(t.Offset == TimeSpan.Zero ? "UTC" : TimeZoneInfo.Local.StandardName); break;
                default: sb.Append('%').Append(f); break;
            }
        }

        return sb.ToString();
    }
}
