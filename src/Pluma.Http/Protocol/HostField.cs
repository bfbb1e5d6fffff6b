using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
    // One table lookup per byte, in one pass over the name (NameShape): every request's Host goes
    // through it, and the vectorised set tests and separate scans it replaced cost more than the
    // rest of the request head's checks together for a name as short as "127.0.0.1:8080".
    private const byte StrictByte = 1, UnsafeByte = 2;

    private static readonly byte[] s_nameBytes = NameByteTable();

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
        NameShape shape = default;
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

            if (!NameShape.TryRead(host[..end], strict ? StrictByte : UnsafeByte, out shape))
            {
                return false;
            }
        }

        if (end < host.Length && !TryParsePort(host[end..], out port))
        {
            return false;
        }

        // ".." is refused, so at most one trailing dot is left to drop.
        int trimmed = end > 0 && host[end - 1] == (byte)'.' ? end - 1 : end;
        nameLength = trimmed;
        if (trimmed == 0)
        {
            return false;
        }

        return !strict || host[0] == (byte)'[' || shape.IsStrictName(host[..trimmed]);
    }

    /// <summary>
    /// What one pass over a host name learns: whether every byte is allowed (Strict: letters,
    /// digits, '-', '.', '_'; Unsafe: anything visible but '/', '\' and ':') and no ".." occurs,
    /// and what vhost.c's strict_hostname_check needs afterwards.
    /// </summary>
    private struct NameShape
    {
        private int _dots;
        private int _lastDot;
        private int _dotBeforeLast;
        private bool _digitsAndDots;
        private bool _leadingZero;

        public static bool TryRead(ReadOnlySpan<byte> name, byte allowed, out NameShape shape)
        {
            // Locals, not the out struct, in the loop: they stay in registers.
            int dots = 0, lastDot = -1, dotBeforeLast = -1;
            bool digitsAndDots = true, leadingZero = false;
            uint previous = '.'; // a name's first byte starts a part, as one after a dot does
            ref byte table = ref MemoryMarshal.GetArrayDataReference(s_nameBytes);
            for (int i = 0; i < name.Length; i++)
            {
                uint c = name[i];
                // The table has 256 entries and c is a byte: no bounds check needed.
                if ((Unsafe.Add(ref table, c) & allowed) == 0)
                {
                    shape = default;
                    return false;
                }

                if (c - '0' <= 9)
                {
                    if (c == '0' && previous == '.' && i + 1 < name.Length && name[i + 1] - (uint)'0' <= 9)
                    {
                        leadingZero = true;
                    }
                }
                else if (c == '.')
                {
                    if (previous == '.' && i > 0)
                    {
                        shape = default;
                        return false; // ".."
                    }

                    dots++;
                    dotBeforeLast = lastDot;
                    lastDot = i;
                }
                else
                {
                    digitsAndDots = false;
                }

                previous = c;
            }

            shape = new NameShape
            {
                _dots = dots,
                _lastDot = lastDot,
                _dotBeforeLast = dotBeforeLast,
                _digitsAndDots = digitsAndDots,
                _leadingZero = leadingZero,
            };
            return true;
        }

        /// <summary>
        /// vhost.c strict_hostname_check on <paramref name="trimmed"/>, the name read without its
        /// trailing dot: all digits and dots is an IPv4 address (exactly four parts, none empty or
        /// with a leading zero); otherwise the last label must start with a letter, so "123",
        /// "1.2.3", "01.2.3.4" and "a.1b" are refused.
        /// </summary>
        public readonly bool IsStrictName(ReadOnlySpan<byte> trimmed)
        {
            bool trailingDot = _lastDot == trimmed.Length;
            int lastDot = trailingDot ? _dotBeforeLast : _lastDot;
            if (_digitsAndDots)
            {
                int dots = trailingDot ? _dots - 1 : _dots;
                return dots == 3 && trimmed[0] != (byte)'.' && !_leadingZero; // also every all-digit name (RFC 3986 7.4)
            }

            return lastDot < 0 || char.IsAsciiLetter((char)trimmed[lastDot + 1]);
        }
    }

    private static byte[] NameByteTable()
    {
        var table = new byte[256];
        foreach (byte c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._"u8)
        {
            table[c] |= StrictByte;
        }

        foreach (byte c in "!\"#$%&'()*+,-.0123456789;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ^_`abcdefghijklmnopqrstuvwxyz{|}~"u8)
        {
            table[c] |= UnsafeByte;
        }

        return table;
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
            uint digit = c - (uint)'0';
            if (digit > 9)
            {
                return false;
            }

            port = (port * 10) + (int)digit;
        }

        return port is > 0 and <= 65535;
    }
}
