using System.Collections.Generic;
using System.Text;

namespace Pluma.ArchitectureTests.Support;

/// <summary>
/// Just enough C# lexing to read what a file uses: comments and literals are blanked so that a
/// doc comment naming <c>Pluma.Http</c> or a message quoting it is not taken for a use.
/// </summary>
internal static class CSharpCode
{
    /// <summary>
    /// The text with every comment, string and character literal replaced by spaces; newlines are
    /// kept so that line numbers still match the file.
    /// </summary>
    public static string WithoutCommentsAndLiterals(string text)
    {
        char[] code = text.ToCharArray();
        int i = 0;
        while (i < code.Length)
        {
            int end = EndOfCommentOrLiteral(text, i);
            if (end == i)
            {
                i++;
                continue;
            }

            for (int k = i; k < end; k++)
            {
                if (code[k] != '\n')
                {
                    code[k] = ' ';
                }
            }

            i = end;
        }

        return new string(code);
    }

    /// <summary>The text of every comment in the file, one entry per comment.</summary>
    public static IEnumerable<(int Line, string Text)> Comments(string text)
    {
        int i = 0;
        while (i < text.Length)
        {
            int end = EndOfCommentOrLiteral(text, i);
            if (end == i)
            {
                i++;
                continue;
            }

            if (text[i] == '/')
            {
                yield return (LineOf(text, i), text[i..end]);
            }

            i = end;
        }
    }

    public static int LineOf(string text, int index)
    {
        int line = 1;
        for (int k = 0; k < index && k < text.Length; k++)
        {
            if (text[k] == '\n')
            {
                line++;
            }
        }

        return line;
    }

    // Where the comment or literal starting at i ends (exclusive), or i when none starts there.
    private static int EndOfCommentOrLiteral(string s, int i)
    {
        char c = s[i];
        if (c == '/' && At(s, i + 1) == '/')
        {
            int nl = s.IndexOf('\n', i);
            return nl < 0 ? s.Length : nl;
        }

        if (c == '/' && At(s, i + 1) == '*')
        {
            int close = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
            return close < 0 ? s.Length : close + 2;
        }

        if (c == '\'')
        {
            return EndOfCharLiteral(s, i);
        }

        // A string may be prefixed by $ (any number, for raw strings) and @ in either order.
        int q = i;
        bool verbatim = false;
        bool interpolated = false;
        while (q < s.Length && (s[q] == '$' || s[q] == '@'))
        {
            verbatim |= s[q] == '@';
            interpolated |= s[q] == '$';
            q++;
        }

        if (q >= s.Length || s[q] != '"' || (q > i && IsIdentifierChar(At(s, i - 1))))
        {
            return i;
        }

        if (At(s, q + 1) == '"' && At(s, q + 2) == '"')
        {
            return EndOfRawString(s, q);
        }

        return verbatim ? EndOfVerbatimString(s, q, interpolated) : EndOfRegularString(s, q, interpolated);
    }

    private static int EndOfCharLiteral(string s, int i)
    {
        int k = i + 1;
        if (At(s, k) == '\\')
        {
            k += 2;
        }
        else
        {
            k++;
        }

        int close = s.IndexOf('\'', k);
        return close < 0 ? s.Length : close + 1;
    }

    private static int EndOfRawString(string s, int q)
    {
        int quotes = 0;
        while (At(s, q + quotes) == '"')
        {
            quotes++;
        }

        string fence = new('"', quotes);
        int close = s.IndexOf(fence, q + quotes, StringComparison.Ordinal);
        return close < 0 ? s.Length : close + quotes;
    }

    private static int EndOfVerbatimString(string s, int q, bool interpolated)
    {
        int k = q + 1;
        while (k < s.Length)
        {
            if (s[k] == '"')
            {
                if (At(s, k + 1) == '"')
                {
                    k += 2;
                    continue;
                }

                return k + 1;
            }

            k = interpolated ? SkipHole(s, k) : k + 1;
        }

        return s.Length;
    }

    private static int EndOfRegularString(string s, int q, bool interpolated)
    {
        int k = q + 1;
        while (k < s.Length)
        {
            char c = s[k];
            if (c == '\\')
            {
                k += 2;
            }
            else if (c == '"' || c == '\n')
            {
                return k + 1;
            }
            else
            {
                k = interpolated ? SkipHole(s, k) : k + 1;
            }
        }

        return s.Length;
    }

    // Inside an interpolated string: past an interpolation hole ("{...}", which may hold
    // strings of its own), or one character on.
    private static int SkipHole(string s, int k)
    {
        if (s[k] != '{')
        {
            return k + 1;
        }

        if (At(s, k + 1) == '{')
        {
            return k + 2;
        }

        int depth = 0;
        while (k < s.Length)
        {
            int end = EndOfCommentOrLiteral(s, k);
            if (end != k)
            {
                k = end;
                continue;
            }

            if (s[k] == '{')
            {
                depth++;
            }
            else if (s[k] == '}' && --depth == 0)
            {
                return k + 1;
            }

            k++;
        }

        return s.Length;
    }

    private static char At(string s, int i) => i >= 0 && i < s.Length ? s[i] : '\0';

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    internal static string Describe(IEnumerable<string> lines)
    {
        var sb = new StringBuilder();
        foreach (string line in lines)
        {
            sb.Append("\n  ").Append(line);
        }

        return sb.ToString();
    }
}
