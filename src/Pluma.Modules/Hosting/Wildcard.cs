namespace Pluma.Modules.Hosting;

/// <summary>Apache's ap_strcasecmp_match: <c>*</c> and <c>?</c>, case-insensitive (ServerAlias).</summary>
public static class Wildcard
{
    public static bool Matches(string pattern, string text) => Match(pattern.AsSpan(), text.AsSpan());

    private static bool Match(ReadOnlySpan<char> p, ReadOnlySpan<char> t)
    {
        while (!p.IsEmpty)
        {
            char c = p[0];
            if (c == '*')
            {
                p = p[1..];
                if (p.IsEmpty)
                {
                    return true;
                }

                for (int i = 0; i <= t.Length; i++)
                {
                    if (Match(p, t[i..]))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (t.IsEmpty || (c != '?' && char.ToLowerInvariant(c) != char.ToLowerInvariant(t[0])))
            {
                return false;
            }

            p = p[1..];
            t = t[1..];
        }

        return t.IsEmpty;
    }
}
