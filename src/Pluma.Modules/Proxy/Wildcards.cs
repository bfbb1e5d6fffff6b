namespace Pluma.Modules.Proxy;

/// <summary>apr_fnmatch without flags, enough for &lt;Proxy&gt; patterns ("*", "?", "[...]").</summary>
internal static class Wildcards
{
    public static bool IsMatch(string pattern, string text) => Match(pattern, 0, text, 0);

    private static bool Match(string p, int pi, string t, int ti)
    {
        while (pi < p.Length)
        {
            char c = p[pi];
            if (c == '*')
            {
                for (int k = ti; k <= t.Length; k++)
                {
                    if (Match(p, pi + 1, t, k))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (ti >= t.Length)
            {
                return false;
            }

            if (c == '?')
            {
                pi++;
                ti++;
                continue;
            }

            if (c == '[')
            {
                int close = p.IndexOf(']', pi + 1);
                if (close > pi + 1)
                {
                    bool negate = p[pi + 1] is '!' or '^';
                    bool hit = false;
                    for (int k = pi + (negate ? 2 : 1); k < close; k++)
                    {
                        if (k + 2 < close && p[k + 1] == '-')
                        {
                            hit |= t[ti] >= p[k] && t[ti] <= p[k + 2];
                            k += 2;
                        }
                        else
                        {
                            hit |= t[ti] == p[k];
                        }
                    }

                    if (hit == negate)
                    {
                        return false;
                    }

                    pi = close + 1;
                    ti++;
                    continue;
                }
            }

            if (c == '\\' && pi + 1 < p.Length)
            {
                c = p[++pi];
            }

            if (t[ti] != c)
            {
                return false;
            }

            pi++;
            ti++;
        }

        return ti == t.Length;
    }
}
