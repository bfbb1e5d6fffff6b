using System.Collections.Generic;
using System.Text;

namespace Pluma.Modules.Common;

/// <summary>
/// Lines of a text file as httpd's ap_cfg_getline gives them to mod_authn_file and
/// mod_authz_groupfile: each line cut at its first NUL byte, leading and trailing white space
/// removed; comments ('#') and empty lines skipped; reading stops at a line too long for
/// MAX_STRING_LEN (8192), as the modules' loops stop on its error. Lines whose bytes are not
/// UTF-8 are skipped (no request can name their user).
/// </summary>
public static class ConfigFileLines
{
    private const int MaxStringLen = 8192;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IEnumerable<string> Read(byte[] content)
    {
        int start = 0;
        while (start < content.Length)
        {
            int nl = Array.IndexOf(content, (byte)'\n', start);
            int end = nl < 0 ? content.Length : nl;
            if (end - start >= MaxStringLen - 1)
            {
                yield break;
            }

            int nul = Array.IndexOf(content, (byte)0, start, end - start);
            int stop = nul < 0 ? end : nul;
            string? line = Decode(content, start, stop);
            start = end + 1;
            if (line is null)
            {
                continue;
            }

            line = line.Trim(' ', '\t', '\r', '\n', '\v', '\f');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            yield return line;
        }
    }

    /// <summary>ap_getword with ':': the text before the first ':', and <paramref name="rest"/> after the run of ':' that follows it.</summary>
    public static string GetWord(string line, out string rest, char stop = ':')
    {
        int i = line.IndexOf(stop, StringComparison.Ordinal);
        if (i < 0)
        {
            rest = string.Empty;
            return line;
        }

        int j = i;
        while (j < line.Length && line[j] == stop)
        {
            j++;
        }

        rest = line[j..];
        return line[..i];
    }

    /// <summary>ap_getword_conf: the next white-space separated word, or a quoted one; null at the end.</summary>
    public static string? GetConfWord(string s, ref int pos)
    {
        while (pos < s.Length && IsSpace(s[pos]))
        {
            pos++;
        }

        if (pos >= s.Length)
        {
            return null;
        }

        var sb = new StringBuilder();
        char quote = s[pos];
        if (quote is '"' or '\'')
        {
            pos++;
            while (pos < s.Length && s[pos] != quote)
            {
                if (s[pos] == '\\' && pos + 1 < s.Length && (s[pos + 1] == quote || s[pos + 1] == '\\'))
                {
                    pos++;
                }

                sb.Append(s[pos++]);
            }

            if (pos < s.Length)
            {
                pos++;
            }
        }
        else
        {
            while (pos < s.Length && !IsSpace(s[pos]))
            {
                // substring_conf: "\\" stands for one backslash.
                if (s[pos] == '\\' && pos + 1 < s.Length && s[pos + 1] == '\\')
                {
                    pos++;
                }

                sb.Append(s[pos++]);
            }
        }

        while (pos < s.Length && IsSpace(s[pos]))
        {
            pos++;
        }

        return sb.ToString();
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n' or '\v' or '\f';

    private static string? Decode(byte[] content, int start, int end)
    {
        try
        {
            return s_strictUtf8.GetString(content, start, end - start);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
