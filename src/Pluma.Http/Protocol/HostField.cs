using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace Pluma.Http.Protocol;

/// <summary>
/// Apache's fix_hostname (server/vhost.c) with its strict_hostname_check: a host name or an
/// [IPv6] literal, then an optional port of 1 to 65535. Under HttpProtocolOptions Strict (the
/// default) a name must also look like one: a dotted-decimal IPv4 address of four parts
/// without leading zeros, or a name whose last label starts with a letter (RFC 3986 7.4,
/// RFC 1123 2.1), never all digits. Unsafe lets any other name through but "..", '/' and '\'.
/// </summary>
internal static class HostField
{
    // Vectorised set tests: every request's Host goes through them (a byte loop cost more than
    // the rest of the host check together in the pipeline benchmark's instruction counts).
    private static readonly SearchValues<byte> s_strictNameBytes =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._"u8);

    private static readonly SearchValues<byte> s_unsafeNameBytes =
        SearchValues.Create("!\"#$%&'()*+,-.0123456789;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

    private static readonly SearchValues<byte> s_digitsAndDot = SearchValues.Create("0123456789."u8);

    /// <summary>
    /// Checks a Host value (or an absolute-form authority); on success <paramref name="nameLength"/>
    /// is the name's length without its trailing dots and <paramref name="port"/> the port (0: none).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> host, bool strict, out int nameLength, out int port)
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
            if (close < 0 || !IsIPv6(host[1..close]))
            {
                return false;
            }

            end = close + 1;
        }
        else
        {
            end = host.LastIndexOf((byte)':');
            if (end < 0)
            {
                end = host.Length;
            }
            else if (end == host.Length - 1 && !strict)
            {
                // "name:" with no digits: Apache's Unsafe takes it as no port.
                host = host[..end];
            }

            if (!IsRegName(host[..end], strict))
            {
                return false;
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
        if (trimmed == 0)
        {
            return false;
        }

        return !strict || host[0] == (byte)'[' || IsStrictName(host[..trimmed]);
    }

    /// <summary>Letters, digits, '-', '.', '_' (Strict); anything visible but '/', '\' and ':' (Unsafe); never "..".</summary>
    private static bool IsRegName(ReadOnlySpan<byte> name, bool strict) =>
        name.IndexOf(".."u8) < 0 && !name.ContainsAnyExcept(strict ? s_strictNameBytes : s_unsafeNameBytes);

    /// <summary>
    /// vhost.c strict_hostname_check on a name without its trailing dots: all digits and dots
    /// is an IPv4 address (exactly four parts, none with a leading zero); otherwise the last
    /// label must start with a letter, so "123", "1.2.3", "01.2.3.4" and "a.1b" are refused.
    /// </summary>
    private static bool IsStrictName(ReadOnlySpan<byte> name)
    {
        if (!name.ContainsAnyExcept(s_digitsAndDot))
        {
            if (name.Count((byte)'.') != 3)
            {
                return false; // also every all-digit name (RFC 3986 7.4)
            }

            for (int i = 0; i < name.Length; i++)
            {
                bool partStart = i == 0 || name[i - 1] == (byte)'.';
                if (partStart && (name[i] == (byte)'.' || (name[i] == (byte)'0' && i + 1 < name.Length && char.IsAsciiDigit((char)name[i + 1]))))
                {
                    return false; // an empty part or a leading zero
                }
            }

            return true;
        }

        int lastDot = name.LastIndexOf((byte)'.');
        return lastDot < 0 || char.IsAsciiLetter((char)name[lastDot + 1]);
    }

    /// <summary>An IPv6 address without zone (apr_parse_addr_port: "[1.2.3.4]", "[:::1]" and "[fe80::1%eth0]" are refused).</summary>
    private static bool IsIPv6(ReadOnlySpan<byte> literal)
    {
        if (literal.IsEmpty || literal.Length > 45 || literal.IndexOf((byte)':') < 0)
        {
            return false;
        }

        Span<char> text = stackalloc char[45];
        for (int i = 0; i < literal.Length; i++)
        {
            byte c = literal[i];
            if (!(char.IsAsciiHexDigit((char)c) || c is (byte)':' or (byte)'.'))
            {
                return false;
            }

            text[i] = (char)c;
        }

        // Rare (only bracketed hosts reach here), so the parsed address may allocate.
        return IPAddress.TryParse(text[..literal.Length], out IPAddress? address) && address.AddressFamily == AddressFamily.InterNetworkV6;
    }

    /// <summary>":" and one to five digits, 1 to 65535 (apr_parse_addr_port refuses port 0 and an empty port).</summary>
    private static bool TryParsePort(ReadOnlySpan<byte> colonAndDigits, out int port)
    {
        port = 0;
        if (colonAndDigits[0] != (byte)':')
        {
            return false;
        }

        ReadOnlySpan<byte> digits = colonAndDigits[1..];
        if (digits.IsEmpty || digits.Length > 5)
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

        return port is > 0 and <= 65535;
    }
}
