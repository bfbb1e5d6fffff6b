using System.Text;
using Pluma.Http.Protocol;

namespace Pluma.Fuzz;

/// <summary>
/// The URL-path normaliser (UrlPath: ap_unescape_url and ap_normalize_path). The input is a raw,
/// still-encoded request path, as the request parser lets it through (no control byte, no
/// space: anything else never reaches UrlPath). Promises:
/// <list type="bullet">
/// <item>a path Check passes normalises to one that starts with "/", holds no "." or ".."
///   segment and (slashes merged) no "//": it can never name anything outside the root;</item>
/// <item>normalising is idempotent, and Check's quick byte walk agrees with Normalize on
///   whether ".." climbs above "/";</item>
/// <item>Check refuses exactly the bad escapes and %00, so a decoded path never holds NUL;</item>
/// <item>with encoded slashes kept, decoding adds no "/" separator; an encoded slash is found
///   exactly where "%2F"/"%2f" stands.</item>
/// </list>
/// </summary>
public static class UrlPathTarget
{
    public static void Run(byte[] input)
    {
        foreach (byte c in input)
        {
            if (c <= 0x20 || c == 0x7f)
            {
                return; // refused by HttpParser before any path is looked at
            }
        }

        UrlPathProblem problem = UrlPath.Check(input);
        Invariant.Check(problem == ExpectedEscapeProblem(input) || (problem == UrlPathProblem.AboveRoot && ExpectedEscapeProblem(input) == UrlPathProblem.None), "Check refuses exactly the bad escapes and %00");
        Invariant.Check(UrlPath.ContainsEncodedSlash(input) == HasEncodedSlash(input), "an encoded slash is found exactly where %2F stands");
        if (problem is UrlPathProblem.BadEscape or UrlPathProblem.EncodedNul)
        {
            return;
        }

        string kept = UrlPath.Decode(input, decodeSlashes: false);
        Invariant.Check(Count(kept, '/') == Count(input, (byte)'/'), "with encoded slashes kept, decoding adds no separator");
        Invariant.Check(!kept.Contains('\0', StringComparison.Ordinal), "a path Check passes never decodes to NUL");
        string decoded = UrlPath.Decode(input, decodeSlashes: true);
        Invariant.Check(decoded.Length <= input.Length, "decoding never lengthens a path");

        foreach (string path in new[] { kept, decoded })
        {
            foreach (bool merge in new[] { true, false })
            {
                string? normal = UrlPath.Normalize(path, merge);
                if (path.Length == 0 || path[0] != '/')
                {
                    Invariant.Check(normal == path, "a path that does not start with '/' is left alone");
                    continue;
                }

                if (merge && ReferenceEquals(path, kept))
                {
                    Invariant.Check((problem == UrlPathProblem.AboveRoot) == (normal is null), "Check and Normalize agree on climbing above '/'");
                }

                if (normal is null)
                {
                    continue;
                }

                Invariant.Check(normal.Length > 0 && normal[0] == '/', "a normalised path starts at the root");
                Invariant.Check(!HasDotSegment(normal), "a normalised path holds no '.' or '..' segment");
                Invariant.Check(!merge || !normal.Contains("//", StringComparison.Ordinal), "merged slashes leave no '//'");
                Invariant.Check(UrlPath.Normalize(normal, merge) == normal, "normalising is idempotent");
            }
        }
    }

    private static UrlPathProblem ExpectedEscapeProblem(ReadOnlySpan<byte> raw)
    {
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'%')
            {
                continue;
            }

            if (i + 2 >= raw.Length || !Uri.IsHexDigit((char)raw[i + 1]) || !Uri.IsHexDigit((char)raw[i + 2]))
            {
                return UrlPathProblem.BadEscape;
            }

            if (raw[i + 1] == (byte)'0' && raw[i + 2] == (byte)'0')
            {
                return UrlPathProblem.EncodedNul;
            }

            i += 2;
        }

        return UrlPathProblem.None;
    }

    private static bool HasEncodedSlash(ReadOnlySpan<byte> raw)
    {
        for (int i = 0; i + 2 < raw.Length; i++)
        {
            if (raw[i] == (byte)'%' && raw[i + 1] == (byte)'2' && (raw[i + 2] == (byte)'F' || raw[i + 2] == (byte)'f'))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasDotSegment(string path)
    {
        foreach (string segment in path.Split('/'))
        {
            if (segment is "." or "..")
            {
                return true;
            }
        }

        return false;
    }

    private static int Count(string s, char c)
    {
        int n = 0;
        foreach (char x in s)
        {
            n += x == c ? 1 : 0;
        }

        return n;
    }

    private static int Count(ReadOnlySpan<byte> s, byte c) => s.Count(c);

    /// <summary>Latin-1 text of an input, for messages.</summary>
    internal static string Show(byte[] input) => Encoding.Latin1.GetString(input);
}
