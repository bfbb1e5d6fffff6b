using System.Collections.Generic;

namespace Pluma.Modules.Rewrite;

/// <summary>
/// mod_rewrite's own argument splitting (parseargline): up to three words, each optionally in
/// single or double quotes; a backslash before white space keeps the space in the word (the
/// backslash stays, and the expansion removes it later). Returns null for a bad line.
/// </summary>
internal static class RewriteArgs
{
    public static List<string>? Split(string line)
    {
        var words = new List<string>(3);
        int i = 0;
        while (true)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            if (i >= line.Length)
            {
                break;
            }

            if (words.Count == 3)
            {
                return null;
            }

            char quote = line[i] is '"' or '\'' ? line[i++] : '\0';
            int start = i;
            while (i < line.Length)
            {
                char c = line[i];
                if ((quote == '\0' && char.IsWhiteSpace(c)) || (quote != '\0' && c == quote))
                {
                    break;
                }

                if (c == '\\' && i + 1 < line.Length && char.IsWhiteSpace(line[i + 1]))
                {
                    i += 2;
                    continue;
                }

                i++;
            }

            words.Add(line[start..i]);
            if (i < line.Length)
            {
                i++; // the closing quote or the separating space
            }
        }

        return words;
    }

    /// <summary>
    /// cmd_parseflagfield: "[a,b=c, d]" into (key, value) pairs; null value when there is no '='.
    /// Returns an error text for a field not in brackets.
    /// </summary>
    public static string? ParseFlags(string field, List<(string Key, string? Value)> flags)
    {
        if (field.Length < 2 || field[0] != '[' || field[^1] != ']')
        {
            return "bad flag delimiters";
        }

        foreach (string raw in field[1..^1].Split(','))
        {
            string item = raw.Trim();
            if (item.Length == 0)
            {
                continue;
            }

            int eq = item.IndexOf('=', StringComparison.Ordinal);
            flags.Add(eq < 0 ? (item, null) : (item[..eq], item[(eq + 1)..]));
        }

        return null;
    }
}
