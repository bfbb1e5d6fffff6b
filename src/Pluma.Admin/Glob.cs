using System.Collections.Generic;
using System.IO;

namespace Pluma.Admin;

/// <summary>
/// The part of Perl's <c>glob</c> that a2enmod relies on: <c>*</c>, <c>?</c> and <c>[...]</c> in the last
/// path component, sorted results, no match on a leading dot, and a pattern without wildcards returned
/// as is whether or not the file exists (GLOB_NOMAGIC), which is why <c>a2enmod nosuch</c> says "does
/// not exist" rather than "no module found matching".
/// </summary>
internal static class Glob
{
    public static bool HasWildcards(string pattern) => pattern.AsSpan().IndexOfAny("*?[") >= 0;

    /// <summary>Names (not paths) in <paramref name="dir"/> matching <paramref name="pattern"/>.</summary>
    public static List<string> Expand(string dir, string pattern)
    {
        var result = new List<string>();
        if (!HasWildcards(pattern))
        {
            result.Add(pattern);
            return result;
        }

        if (!Directory.Exists(dir))
        {
            return result;
        }

        foreach (string entry in Directory.EnumerateFileSystemEntries(dir))
        {
            string name = Path.GetFileName(entry);
            if (name.StartsWith('.') && !pattern.StartsWith('.'))
            {
                continue;
            }

            if (IsMatch(name, pattern))
            {
                result.Add(name);
            }
        }

        result.Sort(StringComparer.Ordinal);
        return result;
    }

    public static bool IsMatch(ReadOnlySpan<char> name, ReadOnlySpan<char> pattern)
    {
        // Iterative matcher with one backtrack point for the last '*': linear for the patterns admins type.
        int n = 0, p = 0, starP = -1, starN = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starN = n;
                continue;
            }

            if (p < pattern.Length && MatchOne(name[n], pattern, ref p))
            {
                n++;
                continue;
            }

            if (starP < 0)
            {
                return false;
            }

            p = starP + 1;
            n = ++starN;
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    // Matches one character against the pattern element at p and advances p past it on success.
    private static bool MatchOne(char c, ReadOnlySpan<char> pattern, ref int p)
    {
        char pc = pattern[p];
        if (pc == '?')
        {
            p++;
            return true;
        }

        if (pc == '[')
        {
            int close = pattern[(p + 1)..].IndexOf(']');
            if (close > 0)
            {
                ReadOnlySpan<char> set = pattern.Slice(p + 1, close);
                bool negate = set.Length > 0 && (set[0] == '!' || set[0] == '^');
                if (negate)
                {
                    set = set[1..];
                }

                bool hit = false;
                for (int i = 0; i < set.Length; i++)
                {
                    if (i + 2 < set.Length && set[i + 1] == '-')
                    {
                        hit |= c >= set[i] && c <= set[i + 2];
                        i += 2;
                    }
                    else
                    {
                        hit |= c == set[i];
                    }
                }

                if (hit != negate)
                {
                    p += close + 2;
                    return true;
                }

                return false;
            }
        }

        if (pc == '\\' && p + 1 < pattern.Length)
        {
            if (pattern[p + 1] == c)
            {
                p += 2;
                return true;
            }

            return false;
        }

        if (pc == c)
        {
            p++;
            return true;
        }

        return false;
    }
}
