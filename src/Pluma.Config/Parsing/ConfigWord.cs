using System.Collections.Generic;

namespace Pluma.Config.Parsing;

/// <summary>
/// Word splitting as httpd's <c>ap_getword_conf</c>: a word that starts with a double or single
/// quote runs to the matching quote, inside which only a backslash before that quote is an escape;
/// any other word runs to the next whitespace and is taken literally.
/// </summary>
internal static class ConfigWord
{
    public static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v';

    /// <summary>The next word from <paramref name="pos"/>, or "" at the end; leaves pos at the next word.</summary>
    public static string Next(string text, ref int pos)
    {
        int i = pos;
        while (i < text.Length && IsSpace(text[i]))
        {
            i++;
        }

        if (i >= text.Length)
        {
            pos = i;
            return string.Empty;
        }

        string word;
        char quote = text[i];
        if (quote is '"' or '\'')
        {
            int start = i + 1;
            int end = start;
            while (end < text.Length && text[end] != quote)
            {
                end += text[end] == '\\' && end + 1 < text.Length && text[end + 1] == quote ? 2 : 1;
            }

            word = Unescape(text.AsSpan(start, end - start), quote);
            i = end < text.Length ? end + 1 : end;
        }
        else
        {
            int start = i;
            while (i < text.Length && !IsSpace(text[i]))
            {
                i++;
            }

            word = text[start..i];
        }

        while (i < text.Length && IsSpace(text[i]))
        {
            i++;
        }

        pos = i;
        return word;
    }

    /// <summary>Every word of <paramref name="text"/>.</summary>
    public static List<string> Split(string text)
    {
        List<string> words = [];
        int pos = 0;
        while (pos < text.Length)
        {
            string w = Next(text, ref pos);
            if (w.Length == 0 && pos >= text.Length)
            {
                break;
            }

            words.Add(w);
        }

        return words;
    }

    private static string Unescape(ReadOnlySpan<char> s, char quote)
    {
        if (s.IndexOf('\\') < 0)
        {
            return s.ToString();
        }

        var sb = new System.Text.StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 1 < s.Length && s[i + 1] == quote)
            {
                continue;
            }

            sb.Append(s[i]);
        }

        return sb.ToString();
    }
}
