using System.Text;

namespace Pluma.Http.Protocol;

/// <summary>What <see cref="UrlPath.Check"/> found wrong with a path.</summary>
public enum UrlPathProblem
{
    None,

    /// <summary>A '%' not followed by two hex digits: Apache answers 400.</summary>
    BadEscape,

    /// <summary>%00: Apache answers 404.</summary>
    EncodedNul,

    /// <summary>Dot segments that climb above "/": Apache answers 400.</summary>
    AboveRoot,
}

/// <summary>
/// Request paths as Apache treats them (ap_unescape_url, ap_normalize_path with MergeSlashes On):
/// percent-decoding, an encoded slash kept encoded unless asked, dot-segment removal that can
/// never climb above "/".
/// </summary>
public static class UrlPath
{
    /// <summary>Finds what Apache would refuse in <paramref name="rawPath"/> (the path part, still encoded).</summary>
    public static UrlPathProblem Check(ReadOnlySpan<byte> rawPath)
    {
        int percent = rawPath.IndexOf((byte)'%');
        while (percent >= 0)
        {
            if (percent + 2 >= rawPath.Length || !IsHex(rawPath[percent + 1]) || !IsHex(rawPath[percent + 2]))
            {
                return UrlPathProblem.BadEscape;
            }

            if (rawPath[percent + 1] == (byte)'0' && rawPath[percent + 2] == (byte)'0')
            {
                return UrlPathProblem.EncodedNul;
            }

            int next = rawPath[(percent + 3)..].IndexOf((byte)'%');
            percent = next < 0 ? -1 : percent + 3 + next;
        }

        if (rawPath.IndexOf((byte)'%') >= 0)
        {
            // An escape may hide a dot (%2e): decode first, the rare path.
            return Normalize(Decode(rawPath, decodeSlashes: false)) is null ? UrlPathProblem.AboveRoot : UrlPathProblem.None;
        }

        // No escapes: count segments on the bytes, as Normalize would walk them, without strings
        // ("/index.html" must not cost an allocation per request).
        return rawPath.IndexOf((byte)'.') >= 0 && ClimbsAboveRoot(rawPath) ? UrlPathProblem.AboveRoot : UrlPathProblem.None;
    }

    /// <summary>Whether ".." segments climb above "/" once "." and merged slashes are removed (see <see cref="Normalize"/>).</summary>
    private static bool ClimbsAboveRoot(ReadOnlySpan<byte> path)
    {
        if (path.IsEmpty || path[0] != (byte)'/')
        {
            return false;
        }

        int depth = 0;
        int i = 0;
        while (i < path.Length)
        {
            int next = path[(i + 1)..].IndexOf((byte)'/');
            int end = next < 0 ? path.Length : i + 1 + next;
            ReadOnlySpan<byte> segment = path[(i + 1)..end];
            bool last = next < 0;
            if (segment.IsEmpty && !last)
            {
                // merged slash
            }
            else if (segment.SequenceEqual(".."u8))
            {
                if (depth == 0)
                {
                    return true;
                }

                depth--;
            }
            else if (!segment.SequenceEqual("."u8))
            {
                depth++;
            }

            i = end;
        }

        return false;
    }

    /// <summary>Whether the path holds an encoded slash (%2F or %2f).</summary>
    public static bool ContainsEncodedSlash(ReadOnlySpan<byte> rawPath)
    {
        for (int i = rawPath.IndexOf((byte)'%'); i >= 0 && i + 2 < rawPath.Length; i++)
        {
            if (rawPath[i] == (byte)'%' && rawPath[i + 1] == (byte)'2' && (rawPath[i + 2] | 0x20) == (byte)'f')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Percent-decodes <paramref name="rawPath"/> and reads the bytes as UTF-8 (invalid sequences
    /// become U+FFFD). With <paramref name="decodeSlashes"/> false an encoded slash stays "%2F"
    /// (AllowEncodedSlashes NoDecode). Bad escapes are copied as they are (call <see cref="Check"/> first).
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> rawPath, bool decodeSlashes)
    {
        if (rawPath.IndexOf((byte)'%') < 0)
        {
            return Encoding.UTF8.GetString(rawPath);
        }

        byte[] bytes = new byte[rawPath.Length];
        int n = 0;
        for (int i = 0; i < rawPath.Length; i++)
        {
            byte c = rawPath[i];
            if (c == (byte)'%' && i + 2 < rawPath.Length && IsHex(rawPath[i + 1]) && IsHex(rawPath[i + 2]))
            {
                byte decoded = (byte)((HexValue(rawPath[i + 1]) << 4) | HexValue(rawPath[i + 2]));
                if (decoded == (byte)'/' && !decodeSlashes)
                {
                    bytes[n++] = (byte)'%';
                    bytes[n++] = (byte)'2';
                    bytes[n++] = (byte)'F';
                }
                else
                {
                    bytes[n++] = decoded;
                }

                i += 2;
            }
            else
            {
                bytes[n++] = c;
            }
        }

        return Encoding.UTF8.GetString(bytes, 0, n);
    }

    /// <summary>
    /// Removes "." and ".." segments (RFC 3986 5.2.4) and, with <paramref name="mergeSlashes"/>,
    /// runs of slashes. Returns null when ".." would climb above "/" (Apache: 400).
    /// </summary>
    public static string? Normalize(string path, bool mergeSlashes = true)
    {
        if (path.Length == 0 || path[0] != '/')
        {
            return path;
        }

        bool needed = path.Contains("/.", StringComparison.Ordinal) || (mergeSlashes && path.Contains("//", StringComparison.Ordinal));
        if (!needed)
        {
            return path;
        }

        var output = new StringBuilder(path.Length);
        int i = 0;
        while (i < path.Length)
        {
            // i sits on a '/'
            int next = path.IndexOf('/', i + 1);
            int end = next < 0 ? path.Length : next;
            ReadOnlySpan<char> segment = path.AsSpan(i + 1, end - i - 1);
            bool last = next < 0;
            if (segment.Length == 0 && mergeSlashes && !last)
            {
                i = end;
                continue;
            }

            if (segment is ".")
            {
                if (last)
                {
                    output.Append('/');
                }

                i = end;
                continue;
            }

            if (segment is "..")
            {
                int cut = LastSlash(output);
                if (cut < 0)
                {
                    return null;
                }

                output.Length = cut;
                if (last)
                {
                    output.Append('/');
                }

                i = end;
                continue;
            }

            output.Append('/').Append(segment);
            i = end;
        }

        return output.Length == 0 ? "/" : output.ToString();
    }

    private static int LastSlash(StringBuilder sb)
    {
        for (int i = sb.Length - 1; i >= 0; i--)
        {
            if (sb[i] == '/')
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsHex(byte c) => (uint)(c - '0') <= 9 || (uint)((c | 0x20) - 'a') <= 5;

    private static int HexValue(byte c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
