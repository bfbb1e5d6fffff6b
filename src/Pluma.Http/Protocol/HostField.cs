namespace Pluma.Http.Protocol;

/// <summary>
/// Apache's fix_hostname (server/vhost.c): a reg-name of letters, digits, '-', '.', '_', or an
/// [IPv6] literal, then an optional all-digit port.
/// </summary>
internal static class HostField
{
    /// <summary>
    /// Checks a Host value (or an absolute-form authority); on success <paramref name="nameLength"/>
    /// is the name's length without its trailing dots and <paramref name="port"/> the port (0: none).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> host, out int nameLength, out int port)
    {
        nameLength = 0;
        port = 0;
        if (host.IsEmpty)
        {
            return false;
        }

        int end;
        if (host[0] == (byte)'[')
        {
            int close = host.IndexOf((byte)']');
            if (close < 0)
            {
                return false;
            }

            foreach (byte c in host[1..close])
            {
                if (!(char.IsAsciiHexDigit((char)c) || c is (byte)':' or (byte)'.'))
                {
                    return false;
                }
            }

            end = close + 1;
        }
        else
        {
            end = host.IndexOf((byte)':');
            if (end < 0)
            {
                end = host.Length;
            }

            foreach (byte c in host[..end])
            {
                if (!(char.IsAsciiLetterOrDigit((char)c) || c is (byte)'-' or (byte)'.' or (byte)'_'))
                {
                    return false;
                }
            }
        }

        if (end < host.Length && !TryParsePort(host[end..], out port))
        {
            return false;
        }

        int trimmed = end;
        while (trimmed > 0 && host[trimmed - 1] == (byte)'.')
        {
            trimmed--;
        }

        nameLength = trimmed;
        return trimmed != 0;
    }

    /// <summary>":" and at most five digits, up to 65535.</summary>
    private static bool TryParsePort(ReadOnlySpan<byte> colonAndDigits, out int port)
    {
        port = 0;
        if (colonAndDigits[0] != (byte)':')
        {
            return false;
        }

        ReadOnlySpan<byte> digits = colonAndDigits[1..];
        if (digits.Length > 5)
        {
            return false;
        }

        foreach (byte c in digits)
        {
            if (!char.IsAsciiDigit((char)c))
            {
                return false;
            }

            port = (port * 10) + (c - '0');
        }

        return port <= 65535;
    }
}
