using System.Text;

namespace Pluma.Modules.Negotiation;

/// <summary>ap_escape_path_segment: %XX for every byte outside letters, digits and $-_.+!*'(),:@&amp;=~ (Content-Location, Alternates).</summary>
public static class PathSegment
{
    public static string Escape(string segment)
    {
        int i = 0;
        while (i < segment.Length && IsSafe(segment[i]))
        {
            i++;
        }

        if (i == segment.Length)
        {
            return segment;
        }

        var text = new StringBuilder(segment.Length + 8).Append(segment, 0, i);
        foreach (byte b in Encoding.UTF8.GetBytes(segment[i..]))
        {
            if (b < 0x80 && IsSafe((char)b))
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(Convert.ToHexString([b]).ToLowerInvariant());
            }
        }

        return text.ToString();
    }

    private static bool IsSafe(char c) => char.IsAsciiLetterOrDigit(c) || "$-_.+!*'(),:@&=~".Contains(c, StringComparison.Ordinal);
}
