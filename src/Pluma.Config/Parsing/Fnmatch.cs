namespace Pluma.Config.Parsing;

/// <summary>
/// Shell wildcards as APR's <c>apr_fnmatch</c>: '*', '?', '[...]' (with '!' or '^' negation and
/// ranges) and backslash escapes. With <c>pathName</c> the wildcards never match '/'; with
/// <c>period</c> a leading '.' must be matched literally (Include skips hidden files this way).
/// Public because core's directory walk (Pluma.Modules) matches &lt;Directory&gt; wildcards level by level.
/// </summary>
public static class Fnmatch
{
    public static bool HasWildcard(ReadOnlySpan<char> s) => s.IndexOfAny("*?[") >= 0;

    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text, bool pathName, bool period = false)
    {
        if (period && text.Length > 0 && text[0] == '.' && (pattern.Length == 0 || pattern[0] != '.'))
        {
            return false;
        }

        return Match(pattern, text, pathName);
    }

    private static bool Match(ReadOnlySpan<char> p, ReadOnlySpan<char> t, bool pathName)
    {
        int pi = 0, ti = 0, starP = -1, starT = -1;
        while (ti < t.Length)
        {
            if (pi < p.Length)
            {
                char pc = p[pi];
                if (pc == '*')
                {
                    starP = ++pi;
                    starT = ti;
                    continue;
                }

                if (pc == '?' && !(pathName && t[ti] == '/'))
                {
                    pi++;
                    ti++;
                    continue;
                }

                if (pc == '[' && TryClass(p, pi, t[ti], pathName, out int next, out bool hit))
                {
                    if (hit)
                    {
                        pi = next;
                        ti++;
                        continue;
                    }
                }
                else if (pc != '?' && pc != '[')
                {
                    char lit = pc;
                    int adv = 1;
                    if (pc == '\\' && pi + 1 < p.Length)
                    {
                        lit = p[pi + 1];
                        adv = 2;
                    }

                    if (lit == t[ti])
                    {
                        pi += adv;
                        ti++;
                        continue;
                    }
                }
                else if (pc == '[' && t[ti] == '[')
                {
                    pi++;
                    ti++;
                    continue;
                }
            }

            if (starP >= 0 && !(pathName && t[starT] == '/'))
            {
                pi = starP;
                ti = ++starT;
                continue;
            }

            return false;
        }

        while (pi < p.Length && p[pi] == '*')
        {
            pi++;
        }

        return pi == p.Length;
    }

    private static bool TryClass(ReadOnlySpan<char> p, int start, char c, bool pathName, out int next, out bool hit)
    {
        int i = start + 1;
        bool negate = i < p.Length && (p[i] == '!' || p[i] == '^');
        if (negate)
        {
            i++;
        }

        bool matched = false;
        bool first = true;
        while (i < p.Length && (first || p[i] != ']'))
        {
            first = false;
            char lo = p[i];
            if (lo == '\\' && i + 1 < p.Length)
            {
                lo = p[++i];
            }

            char hi = lo;
            if (i + 2 < p.Length && p[i + 1] == '-' && p[i + 2] != ']')
            {
                hi = p[i + 2];
                i += 2;
            }

            if (c >= lo && c <= hi)
            {
                matched = true;
            }

            i++;
        }

        if (i >= p.Length)
        {
            next = start;
            hit = false;
            return false;
        }

        next = i + 1;
        hit = matched != negate && !(pathName && c == '/');
        return true;
    }
}
