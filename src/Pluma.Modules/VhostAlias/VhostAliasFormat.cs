using System.Globalization;
using System.Text;

namespace Pluma.Modules.VhostAlias;

/// <summary>
/// The directory formats of mod_vhost_alias: <c>%%</c> is a percent sign, <c>%p</c> the port,
/// and <c>%N.M</c> a part of the name. N picks dot-separated parts (0 the whole name, N the
/// N-th, -N the N-th from the end, N+ the N-th and all after it, -N+ all up to the N-th from the
/// end); the optional .M picks characters of that the same way. A part or character that does
/// not exist reads as "_". Whatever the name gives is lower-cased; the format's own text is not.
/// </summary>
public static class VhostAliasFormat
{
    // Apache remembers at most this many part boundaries (the start, then 18 dots): the 19th
    // part of a longer name runs to its end.
    private const int MaxBoundaries = 19;

    private const string Missing = "_";

    /// <summary>The directive's check: null when <paramref name="format"/> is well formed, else Apache's message.</summary>
    public static string? Check(string format)
    {
        int i = 0;
        while (i < format.Length)
        {
            if (format[i++] != '%')
            {
                continue;
            }

            if (i < format.Length && format[i] is 'p' or '%')
            {
                i++;
                continue;
            }

            if (!SkipNumber(format, ref i))
            {
                return "syntax error in format string";
            }

            if (i < format.Length && format[i] == '.')
            {
                i++;
                if (!SkipNumber(format, ref i))
                {
                    return "syntax error in format string";
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Fills <paramref name="format"/> (already checked) from <paramref name="name"/> and
    /// <paramref name="port"/>: the directory, without a trailing '/' (the URI brings its own).
    /// </summary>
    public static string Interpolate(string format, string name, int port)
    {
        Span<int> bounds = stackalloc int[MaxBoundaries + 1];
        int parts = Boundaries(name, bounds);
        var dest = new StringBuilder(format.Length + name.Length);
        int i = 0;
        while (i < format.Length)
        {
            char c = format[i++];
            if (c != '%')
            {
                dest.Append(c);
                continue;
            }

            if (format[i] == '%')
            {
                dest.Append('%');
                i++;
                continue;
            }

            if (format[i] == 'p')
            {
                dest.Append(port.ToString(CultureInfo.InvariantCulture));
                i++;
                continue;
            }

            (int n, bool nFromEnd, bool nOnwards) = ReadNumber(format, ref i);
            (int m, bool mFromEnd, bool mOnwards) = (0, false, false);
            if (i < format.Length && format[i] == '.')
            {
                i++;
                (m, mFromEnd, mOnwards) = ReadNumber(format, ref i);
            }

            string source = name;
            int start = 0;
            int end = name.Length;
            if (n != 0)
            {
                SelectPart(bounds, parts, n, nFromEnd, nOnwards, ref source, ref start, ref end);
            }

            if (m != 0)
            {
                SelectCharacters(m, mFromEnd, mOnwards, ref source, ref start, ref end);
            }

            for (int k = start; k < end; k++)
            {
                char ch = source[k];
                dest.Append(char.IsAsciiLetterUpper(ch) ? (char)(ch | 0x20) : ch);
            }
        }

        if (dest.Length > 0 && dest[^1] == '/')
        {
            dest.Length--;
        }

        return dest.ToString();
    }

    // bounds[0] is the place before the name, bounds[k] the k-th dot, bounds[parts] its end.
    private static int Boundaries(string name, Span<int> bounds)
    {
        int count = 0;
        bounds[count++] = -1;
        for (int k = 0; k < name.Length; k++)
        {
            if (name[k] == '.' && count < MaxBoundaries)
            {
                bounds[count++] = k;
            }
        }

        bounds[count] = name.Length;
        return count;
    }

    private static void SelectPart(Span<int> bounds, int parts, int n, bool fromEnd, bool onwards, ref string source, ref int start, ref int end)
    {
        if (n > parts)
        {
            (source, start, end) = (Missing, 0, 1);
        }
        else if (!fromEnd)
        {
            start = bounds[n - 1] + 1;
            if (!onwards)
            {
                end = bounds[n];
            }
        }
        else
        {
            // "-N+" keeps the start of the name: everything up to the N-th part from the end.
            if (!onwards)
            {
                start = bounds[parts - n] + 1;
            }

            end = bounds[parts - n + 1];
        }
    }

    private static void SelectCharacters(int m, bool fromEnd, bool onwards, ref string source, ref int start, ref int end)
    {
        if (m > end - start)
        {
            (source, start, end) = (Missing, 0, 1);
        }
        else if (!fromEnd)
        {
            start += m - 1;
            if (!onwards)
            {
                end = start + 1;
            }
        }
        else
        {
            if (!onwards)
            {
                start = end - m;
            }

            end = end - m + 1;
        }
    }

    private static bool SkipNumber(string format, ref int i)
    {
        if (i < format.Length && format[i] == '-')
        {
            i++;
        }

        if (i >= format.Length || !char.IsAsciiDigit(format[i]))
        {
            return false;
        }

        i++;
        if (i < format.Length && format[i] == '+')
        {
            i++;
        }

        return true;
    }

    private static (int Value, bool FromEnd, bool Onwards) ReadNumber(string format, ref int i)
    {
        bool fromEnd = format[i] == '-';
        if (fromEnd)
        {
            i++;
        }

        int value = format[i++] - '0';
        bool onwards = i < format.Length && format[i] == '+';
        if (onwards)
        {
            i++;
        }

        return (value, fromEnd, onwards);
    }
}
