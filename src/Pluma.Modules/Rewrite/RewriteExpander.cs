using System.Text;
using System.Text.RegularExpressions;

namespace Pluma.Modules.Rewrite;

/// <summary>
/// mod_rewrite's do_expand: a substitution or TestString with '\' escapes, $N (rule) and %N
/// (condition) backreferences, %{VAR} server variables and ${map:key|default} map lookups.
/// What comes from the network is never expanded again: a map's key and default are expanded
/// from the configuration's own text only.
/// </summary>
internal static class RewriteExpander
{
    public static string Expand(string input, RewriteContext ctx, RewriteRuleEntry? entry)
    {
        int first = input.AsSpan().IndexOfAny('\\', '$', '%');
        if (first < 0)
        {
            return input;
        }

        var sb = new StringBuilder(input.Length + 32);
        sb.Append(input, 0, first);
        int p = first;
        while (p < input.Length)
        {
            char c = input[p];
            if (c == '\\')
            {
                if (p + 1 < input.Length)
                {
                    sb.Append(input[p + 1]);
                    p += 2;
                }
                else
                {
                    sb.Append('\\');
                    p++;
                }
            }
            else if ((c == '$' || c == '%') && p + 1 < input.Length && input[p + 1] == '{')
            {
                int end = FindClosingCurly(input, p + 2);
                if (end < 0)
                {
                    sb.Append(input, p, 2);
                    p += 2;
                }
                else if (c == '%')
                {
                    sb.Append(RewriteVariables.Lookup(input[(p + 2)..end], ctx));
                    p = end + 1;
                }
                else
                {
                    string inner = input[(p + 2)..end];
                    int colon = FindCharInCurlies(inner, 0, ':');
                    if (colon < 0)
                    {
                        sb.Append(input, p, 2);
                        p += 2;
                    }
                    else
                    {
                        string map = inner[..colon];
                        string rest = inner[(colon + 1)..];
                        int bar = FindCharInCurlies(rest, 0, '|');
                        string key = bar < 0 ? rest : rest[..bar];
                        string? dflt = bar < 0 ? null : rest[(bar + 1)..];
                        string? value = RewriteMaps.Lookup(ctx, map, Expand(key, ctx, entry));
                        if (value is null && !string.IsNullOrEmpty(dflt))
                        {
                            value = Expand(dflt, ctx, entry);
                        }

                        sb.Append(value);
                        p = end + 1;
                    }
                }
            }
            else if ((c == '$' || c == '%') && p + 1 < input.Length && char.IsAsciiDigit(input[p + 1]))
            {
                int n = input[p + 1] - '0';
                Match? m = c == '$' ? ctx.RuleMatch : ctx.CondMatch;
                if (m is not null && n < m.Groups.Count && m.Groups[n].Success && m.Groups[n].Length > 0)
                {
                    string value = m.Groups[n].Value;
                    if (entry is not null && entry.Has(RuleFlags.EscapeBackref))
                    {
                        string escaped = RewriteUrl.EscapeBackref(value, entry.Options.Escapes, entry.Options.NoEscapes, entry.Flags);
                        RewriteLog.Trace(ctx.Request, 5, ctx.PerDir, "escaping backreference '" + value + "' to '" + escaped + "'");
                        value = escaped;
                    }

                    sb.Append(value);
                }

                p += 2;
            }
            else
            {
                sb.Append(c);
                p++;
            }

            if (p < input.Length)
            {
                int next = input.AsSpan(p).IndexOfAny('\\', '$', '%');
                int span = next < 0 ? input.Length - p : next;
                sb.Append(input, p, span);
                p += span;
            }
        }

        return sb.ToString();
    }

    /// <summary>find_closing_curly: the index of the '}' that closes the '{' before <paramref name="start"/>, nesting counted.</summary>
    private static int FindClosingCurly(string s, int start)
    {
        int depth = 1;
        for (int i = start; i < s.Length; i++)
        {
            if (s[i] == '}' && --depth == 0)
            {
                return i;
            }

            if (s[i] == '{')
            {
                depth++;
            }
        }

        return -1;
    }

    /// <summary>find_char_in_curlies: <paramref name="wanted"/> outside any nested braces.</summary>
    private static int FindCharInCurlies(string s, int start, char wanted)
    {
        int depth = 0;
        for (int i = start; i < s.Length; i++)
        {
            char c = s[i];
            if (c == wanted && depth == 0)
            {
                return i;
            }

            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }
        }

        return -1;
    }
}
