using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Headers;

/// <summary>
/// A Header value with mod_headers' format specifiers (parse_format_string): %% , %t (t= the
/// request's start in microseconds since the epoch), %D (D= microseconds since then),
/// %{VAR}e (the request's environment, "(null)" when unset) and %{VAR}s (an SSL variable:
/// Pluma serves no TLS, so "(null)" as Apache's lookup gives on a plain connection). A value
/// without specifiers renders to the same string every time, without allocating.
/// </summary>
public sealed class HeaderFormat
{
    private readonly (char Tag, string Text)[] _parts;
    private readonly string? _constant;

    private HeaderFormat((char Tag, string Text)[] parts)
    {
        _parts = parts;
        if (parts.Length == 1 && parts[0].Tag == '\0')
        {
            _constant = parts[0].Text;
        }
        else if (parts.Length == 0)
        {
            _constant = string.Empty;
        }
    }

    /// <summary>Parses <paramref name="text"/>; the error is Apache's text for an unknown specifier.</summary>
    public static HeaderFormat? Parse(string text, out string? error)
    {
        error = null;
        var parts = new List<(char, string)>();
        var literal = new StringBuilder();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c != '%')
            {
                literal.Append(c);
                i++;
                continue;
            }

            i++;
            if (i < text.Length && text[i] == '%')
            {
                literal.Append('%');
                i++;
                continue;
            }

            string argument = string.Empty;
            if (i < text.Length && text[i] == '{')
            {
                int close = text.IndexOf('}', i);
                if (close < 0)
                {
                    error = "Unrecognized header format %";
                    return null;
                }

                argument = text[(i + 1)..close];
                i = close + 1;
            }

            if (i >= text.Length)
            {
                error = "Unrecognized header format %";
                return null;
            }

            char tag = text[i++];
            if (tag is not ('t' or 'D' or 'e' or 's'))
            {
                error = "Unrecognized header format %" + tag;
                return null;
            }

            if (literal.Length > 0)
            {
                parts.Add(('\0', literal.ToString()));
                literal.Clear();
            }

            parts.Add((tag, argument));
        }

        if (literal.Length > 0)
        {
            parts.Add(('\0', literal.ToString()));
        }

        return new HeaderFormat([.. parts]);
    }

    /// <summary>The value for request <paramref name="r"/>.</summary>
    public string Render(RequestRecord r)
    {
        if (_constant is not null)
        {
            return _constant;
        }

        var text = new StringBuilder();
        foreach ((char tag, string argument) in _parts)
        {
            switch (tag)
            {
                case '\0':
                    text.Append(argument);
                    break;
                case 't':
                    text.Append("t=").Append(UnixMicroseconds(r.Http.StartTime).ToString(CultureInfo.InvariantCulture));
                    break;
                case 'D':
                    long elapsed = UnixMicroseconds(DateTime.UtcNow) - UnixMicroseconds(r.Http.StartTime);
                    text.Append("D=").Append(Math.Max(0, elapsed).ToString(CultureInfo.InvariantCulture));
                    break;
                case 'e':
                    text.Append(r.HasEnvironment && r.Environment.TryGetValue(argument, out string? value) ? value : "(null)");
                    break;
                default:
                    Debug.Assert(tag == 's', "parse accepts only t, D, e and s");
                    text.Append("(null)");
                    break;
            }
        }

        return text.ToString();
    }

    private static long UnixMicroseconds(DateTime utc) => (utc.ToUniversalTime() - DateTime.UnixEpoch).Ticks / 10;
}
