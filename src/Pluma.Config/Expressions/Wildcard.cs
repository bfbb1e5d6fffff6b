namespace Pluma.Config.Expressions;

/// <summary>apr_fnmatch's * ? [...] and \ escape, with APR_FNM_CASE_BLIND and APR_FNM_PATHNAME.</summary>
internal static class Wildcard
{
    public static bool Matches(string pattern, string text, bool ignoreCase, bool pathName) => Match(pattern, 0, text, 0, ignoreCase, pathName);

    private static bool Match(string p, int pi, string t, int ti, bool ignoreCase, bool pathName)
    {
        while (pi < p.Length)
        {
            char c = p[pi];
            switch (c)
            {
                case '*':
                    while (pi < p.Length && p[pi] == '*')
                    {
                        pi++;
                    }

                    for (int k = ti; k <= t.Length; k++)
                    {
                        if (Match(p, pi, t, k, ignoreCase, pathName))
                        {
                            return true;
                        }

                        if (k < t.Length && pathName && t[k] == '/')
                        {
                            return false;
                        }
                    }

                    return false;
                case '?':
                    if (ti >= t.Length || (pathName && t[ti] == '/'))
                    {
                        return false;
                    }

                    pi++;
                    ti++;
                    break;
                case '[':
                    int close = p.IndexOf(']', pi + 2);
                    if (close < 0 || ti >= t.Length)
                    {
                        goto default;
                    }

                    if (!InSet(p.AsSpan(pi + 1, close - pi - 1), t[ti], ignoreCase))
                    {
                        return false;
                    }

                    pi = close + 1;
                    ti++;
                    break;
                default:
                    if (c == '\\' && pi + 1 < p.Length)
                    {
                        c = p[++pi];
                    }

                    if (ti >= t.Length || !Same(c, t[ti], ignoreCase))
                    {
                        return false;
                    }

                    pi++;
                    ti++;
                    break;
            }
        }

        return ti == t.Length;
    }

    private static bool InSet(ReadOnlySpan<char> set, char c, bool ignoreCase)
    {
        bool negate = set.Length > 0 && set[0] is '!' or '^';
        if (negate)
        {
            set = set[1..];
        }

        bool found = false;
        for (int i = 0; i < set.Length; i++)
        {
            if (i + 2 < set.Length && set[i + 1] == '-')
            {
                char lo = set[i], hi = set[i + 2];
                char x = ignoreCase ? char.ToLowerInvariant(c) : c;
                found |= (c >= lo && c <= hi) || (ignoreCase && x >= char.ToLowerInvariant(lo) && x <= char.ToLowerInvariant(hi));
                i += 2;
            }
            else
            {
                found |= Same(set[i], c, ignoreCase);
            }
        }

        return found != negate;
    }

    private static bool Same(char a, char b, bool ignoreCase) => a == b || (ignoreCase && char.ToLowerInvariant(a) == char.ToLowerInvariant(b));
}
