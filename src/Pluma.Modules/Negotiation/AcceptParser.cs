using System.Collections.Generic;

namespace Pluma.Modules.Negotiation;

/// <summary>
/// Reads the Accept* fields and type-map Content-Type lines the way mod_negotiation.c does
/// (do_header_line, get_entry, atoq): lenient, never an error; names are lowercased, text/html
/// defaults to level 2, a malformed quality counts as 1.
/// </summary>
public static class AcceptParser
{
    /// <summary>The items of a field value, or null when the field is absent (not the same as empty: "Accept-Encoding:" accepts nothing but identity).</summary>
    public static List<AcceptItem>? ParseField(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var items = new List<AcceptItem>();
        int pos = 0;
        while (pos < value.Length)
        {
            items.Add(ParseEntry(value, ref pos));
        }

        return items;
    }

    /// <summary>
    /// One media range and its parameters from <paramref name="line"/> at <paramref name="pos"/>
    /// (get_entry); <paramref name="pos"/> moves past the item and its comma.
    /// </summary>
    public static AcceptItem ParseEntry(string line, ref int pos)
    {
        float quality = 1.0f;
        string name = Token(line, ref pos, acceptWhite: false).ToLowerInvariant();
        float level = name switch
        {
            "text/html" => 2.0f,
            IncludesMagicType => 2.0f,
            IncludesMagicType3 => 3.0f,
            _ => 0.0f,
        };
        string charset = string.Empty;
        while (pos < line.Length && line[pos] == ';')
        {
            pos++;
            string parm = Token(line, ref pos, acceptWhite: true);
            int cp = 0;
            while (cp < parm.Length && !IsSpace(parm[cp]) && parm[cp] != '=')
            {
                cp++;
            }

            if (cp == parm.Length)
            {
                continue; // no '=': ignored
            }

            string key = parm[..cp].ToLowerInvariant();
            cp++;
            while (cp < parm.Length && (IsSpace(parm[cp]) || parm[cp] == '='))
            {
                cp++;
            }

            int end;
            if (cp < parm.Length && parm[cp] == '"')
            {
                cp++;
                end = cp;
                while (end < parm.Length && parm[end] is not ('\n' or '\r' or '"'))
                {
                    end++;
                }
            }
            else
            {
                end = cp;
                while (end < parm.Length && !IsSpace(parm[end]))
                {
                    end++;
                }
            }

            string v = parm[cp..end].ToLowerInvariant();
            if (key is "q" or "qs")
            {
                quality = ParseQuality(v);
            }
            else if (key == "level")
            {
                level = Pluma.Config.DirectiveBinders.CAtoi(v);
            }
            else if (key == "charset")
            {
                charset = v;
            }
        }

        if (pos < line.Length && line[pos] == ',')
        {
            pos++;
        }

        return new AcceptItem(name, quality, level, charset);
    }

    /// <summary>
    /// atoq: "0" with up to three decimals (a leading dot is tolerated), anything not starting
    /// with 0 or '.' is 1; the third decimal counts only when it is 1-9.
    /// </summary>
    public static float ParseQuality(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return 1.0f;
        }

        int i = 0;
        while (i < s.Length && IsSpace(s[i]))
        {
            i++;
        }

        if (i >= s.Length || (s[i] != '.' && s[i++] != '0'))
        {
            return 1.0f;
        }

        if (i < s.Length && s[i] == '.')
        {
            int q = 0;
            if (++i < s.Length && char.IsAsciiDigit(s[i]))
            {
                q += (s[i] - '0') * 100;
                if (++i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    q += (s[i] - '0') * 10;
                    if (++i < s.Length && s[i] is > '0' and <= '9')
                    {
                        q += s[i] - '0';
                    }
                }
            }

            return q / 1000.0f;
        }

        return 0.0f;
    }

    /// <summary>text/x-server-parsed-html (mod_include's magic type, compared as HTML).</summary>
    public const string IncludesMagicType = "text/x-server-parsed-html";

    /// <summary>text/x-server-parsed-html3.</summary>
    public const string IncludesMagicType3 = "text/x-server-parsed-html3";

    /// <summary>
    /// ap_get_token: skips leading white space, then takes characters up to ',' or ';' (and, unless
    /// <paramref name="acceptWhite"/>, white space), keeping quoted strings whole; trailing white space is dropped.
    /// </summary>
    internal static string Token(string line, ref int pos, bool acceptWhite)
    {
        while (pos < line.Length && IsSpace(line[pos]))
        {
            pos++;
        }

        int start = pos;
        bool inQuotes = false;
        while (pos < line.Length)
        {
            char c = line[pos];
            if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes && (c == ',' || c == ';' || (!acceptWhite && IsSpace(c))))
            {
                break;
            }

            pos++;
        }

        int end = pos;
        while (end > start && IsSpace(line[end - 1]))
        {
            end--;
        }

        while (pos < line.Length && IsSpace(line[pos]))
        {
            pos++;
        }

        return line[start..end];
    }

    internal static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f';
}
