using System.Text;
using System.Text.RegularExpressions;

namespace Pluma.Config;

/// <summary>
/// A configuration regex compiled with Apache 2.4's default options (RegexDefaultOptions
/// DOTALL DOLLAR_ENDONLY, util_pcre.c): "." matches a newline too, and "$" matches only at the
/// very end, not before a final newline as .NET's "$" does. Request paths are decoded, so
/// both matter as soon as a client sends %0a: a RedirectMatch "(.*)" must still match (and
/// escape) it, and "^/admin$" must not match "/admin\n".
/// </summary>
public static class ApacheRegex
{
    public static Regex Create(string pattern, RegexOptions extra = RegexOptions.None) =>
        new(DollarEndOnly(pattern), RegexOptions.CultureInvariant | RegexOptions.Singleline | extra);

    /// <summary>Each "$" that is an anchor (not escaped, not in a character class) becomes "\z".</summary>
    public static string DollarEndOnly(string pattern)
    {
        if (!pattern.Contains('$', StringComparison.Ordinal))
        {
            return pattern;
        }

        var sb = new StringBuilder(pattern.Length + 4);
        bool inClass = false;
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                sb.Append(c).Append(pattern[++i]);
                continue;
            }

            if (inClass)
            {
                inClass = c != ']';
                sb.Append(c);
                continue;
            }

            if (c == '[')
            {
                inClass = true;
                sb.Append(c);

                // A ']' right after '[' or '[^' is a literal member, not the end of the class.
                if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                {
                    sb.Append(pattern[++i]);
                }

                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    sb.Append(pattern[++i]);
                }

                continue;
            }

            if (c == '$')
            {
                sb.Append(@"\z");
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
