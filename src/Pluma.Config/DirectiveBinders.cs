using System.Globalization;

namespace Pluma.Config;

/// <summary>
/// Ready-made handlers for the common directive shapes, like httpd's <c>ap_set_*_slot</c> and
/// nginx's <c>*_slot</c> setters: the binder parses the word and hands the value to a setter on
/// the module's server or directory record.
/// </summary>
public static class DirectiveBinders
{
    /// <summary>strtol with httpd's ap_set_int_slot error ("Invalid value for directive X, expected integer").</summary>
    public static DirectiveHandler Int<T>(DirectiveTarget target, Action<T, int> set)
        where T : class => call =>
    {
        string arg = call.Args[0];
        if (!int.TryParse(arg, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite, CultureInfo.InvariantCulture, out int value))
        {
            return "Invalid value for directive " + call.Node.Name + ", expected integer";
        }

        set(Record<T>(call, target), value);
        return null;
    };

    /// <summary>C atoi, never an error: what httpd's MPM and Timeout directives use ("abc" is 0, "5x" is 5).</summary>
    public static DirectiveHandler Atoi<T>(DirectiveTarget target, Action<T, int> set)
        where T : class => call =>
    {
        set(Record<T>(call, target), CAtoi(call.Args[0]));
        return null;
    };

    /// <summary>For <see cref="DirectiveArgs.Flag"/> directives.</summary>
    public static DirectiveHandler Flag<T>(DirectiveTarget target, Action<T, bool> set)
        where T : class => call =>
    {
        set(Record<T>(call, target), call.FlagValue);
        return null;
    };

    public static DirectiveHandler String<T>(DirectiveTarget target, Action<T, string> set)
        where T : class => call =>
    {
        set(Record<T>(call, target), call.Args[0]);
        return null;
    };

    /// <summary>A path made absolute against ServerRoot (httpd's ap_set_file_slot).</summary>
    public static DirectiveHandler Path<T>(DirectiveTarget target, Action<T, string> set)
        where T : class => call =>
    {
        set(Record<T>(call, target), call.ResolvePath(call.Args[0]));
        return null;
    };

    /// <summary>
    /// A duration as httpd's ap_timeout_parameter_parse with seconds as the default unit:
    /// "5", "5s", "500ms", "2mi", "1h". Error: "X has wrong format".
    /// </summary>
    public static DirectiveHandler Seconds<T>(DirectiveTarget target, Action<T, TimeSpan> set)
        where T : class => call =>
    {
        if (!TryParseTimeout(call.Args[0], out TimeSpan value))
        {
            return call.Directive.Name + " has wrong format";
        }

        set(Record<T>(call, target), value);
        return null;
    };

    /// <summary>C's atoi: leading blanks, optional sign, digits up to the first non-digit; saturates instead of overflowing.</summary>
    public static int CAtoi(ReadOnlySpan<char> s)
    {
        int i = 0;
        while (i < s.Length && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')))
        {
            i++;
        }

        bool negative = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-'))
        {
            negative = s[i] == '-';
            i++;
        }

        long value = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            value = Math.Min(value * 10 + (s[i] - '0'), (long)int.MaxValue + 1);
            i++;
        }

        value = negative ? -value : value;
        return (int)Math.Clamp(value, int.MinValue, int.MaxValue);
    }

    public static bool TryParseTimeout(string text, out TimeSpan value)
    {
        value = default;
        int i = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i == 0 || !long.TryParse(text.AsSpan(0, i), NumberStyles.None, CultureInfo.InvariantCulture, out long n))
        {
            return false;
        }

        string unit = text[i..].ToLowerInvariant();
        try
        {
            switch (unit)
            {
                case "":
                case "s":
                    value = TimeSpan.FromSeconds(n);
                    return true;
                case "ms":
                    value = TimeSpan.FromMilliseconds(n);
                    return true;
                case "mi":
                    value = TimeSpan.FromMinutes(n);
                    return true;
                case "h":
                    value = TimeSpan.FromHours(n);
                    return true;
                default:
                    return false;
            }
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            // Past what a TimeSpan holds (about 29,000 years): httpd's apr_time_from_sec wraps
            // around silently and accepts it; Pluma refuses it as a wrong format instead.
            return false;
        }
    }

    private static T Record<T>(DirectiveCall call, DirectiveTarget target)
        where T : class => target == DirectiveTarget.Server ? call.GetServerRecord<T>() : call.GetDirRecord<T>();
}
