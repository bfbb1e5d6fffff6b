using System.Text;

namespace Pluma.Http.Internal;

/// <summary>Comma-separated token lists (Connection, Expect), as ap_find_token reads them.</summary>
internal static class HeaderTokens
{
    public static bool Contains(ReadOnlySpan<byte> list, string token)
    {
        while (!list.IsEmpty)
        {
            int comma = list.IndexOf((byte)',');
            ReadOnlySpan<byte> item = (comma < 0 ? list : list[..comma]).Trim(" \t"u8);
            int semi = item.IndexOf((byte)';');
            if (semi >= 0)
            {
                item = item[..semi].TrimEnd(" \t"u8);
            }

            if (item.Length == token.Length && Ascii.EqualsIgnoreCase(item, token))
            {
                return true;
            }

            if (comma < 0)
            {
                break;
            }

            list = list[(comma + 1)..];
        }

        return false;
    }
}
