using System.Globalization;

namespace Pluma.Modules.Expires;

/// <summary>
/// An expiry rule as mod_expires stores it: from the access (A) or the file's modification (M),
/// plus a number of seconds. <see cref="Parse"/> reads both of Apache's spellings, "A86400" and
/// "access plus 1 month" (check_code), with Apache's error texts.
/// </summary>
public readonly record struct ExpiresCode(bool FromModification, long Seconds)
{
    /// <summary>
    /// check_code: base (access, now, modification), an optional "plus", then number and unit
    /// pairs (years of 365 days, months of 30 days, weeks, days, hours, minutes, seconds; singular
    /// or plural). The A/M form takes atoi of the rest, as Apache does.
    /// </summary>
    public static ExpiresCode? Parse(string code, out string? error)
    {
        error = null;
        if (code.Length > 0 && (code[0] == 'A' || code[0] == 'M'))
        {
            return new ExpiresCode(code[0] == 'M', Pluma.Config.DirectiveBinders.CAtoi(code.AsSpan(1)));
        }

        string[] words = code.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        int i = 0;
        if (words.Length == 0)
        {
            error = "bad expires code, missing <base>";
            return null;
        }

        string first = words[i++];
        bool modification;
        if (first.Equals("now", StringComparison.OrdinalIgnoreCase) || first.Equals("access", StringComparison.OrdinalIgnoreCase))
        {
            modification = false;
        }
        else if (first.Equals("modification", StringComparison.OrdinalIgnoreCase))
        {
            modification = true;
        }
        else
        {
            error = "bad expires code, unrecognised <base> '" + first + "'";
            return null;
        }

        if (i < words.Length && words[i].Equals("plus", StringComparison.OrdinalIgnoreCase))
        {
            i++;
        }

        long total = 0;
        while (i < words.Length)
        {
            string number = words[i++];
            if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out long n))
            {
                error = "bad expires code, numeric value expected <num> '" + number + "'";
                return null;
            }

            if (i >= words.Length)
            {
                error = "bad expires code, missing <type>";
                return null;
            }

            string unit = words[i++];
            long factor = UnitSeconds(unit);
            if (factor == 0)
            {
                error = "bad expires code, unrecognised <type> '" + unit + "'";
                return null;
            }

            total += n * factor;
        }

        return new ExpiresCode(modification, total);
    }

    private static long UnitSeconds(string unit)
    {
        string u = unit.ToLowerInvariant();
        return u switch
        {
            "years" or "year" => 60L * 60 * 24 * 365,
            "months" or "month" => 60L * 60 * 24 * 30,
            "weeks" or "week" => 60L * 60 * 24 * 7,
            "days" or "day" => 60L * 60 * 24,
            "hours" or "hour" => 60L * 60,
            "minutes" or "minute" => 60L,
            "seconds" or "second" => 1L,
            _ => 0,
        };
    }
}
