using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;

namespace Pluma.Modules.RemoteIp;

/// <summary>Where reading a PROXY protocol header stands.</summary>
public enum ProxyHeaderStatus
{
    NeedMore,
    Done,
    Error,
}

/// <summary>
/// The PROXY protocol header (haproxy's proxy-protocol.txt) as mod_remoteip reads it: version 1
/// ("PROXY TCP4 client dest cport dport\r\n", at most 108 bytes) or version 2 (a 12-byte
/// signature, version/command, family, length and the addresses; at most 232 bytes). The PROXY
/// command over TCP4/TCP6 names a client; v2's LOCAL and v1's UNKNOWN leave the peer as the
/// client; errors carry Apache's AH lines.
/// </summary>
public static class ProxyProtocolHeader
{
    /// <summary>The longest header mod_remoteip takes (its proxy_header union: 16 bytes and 216 of addresses).</summary>
    public const int MaxLength = 232;

    private const int MinLength = 15;
    private const int V1MaxLength = 108;
    private const int V2MinLength = 16;

    private static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>
    /// Reads the header at the start of <paramref name="data"/>. On Done, <paramref name="length"/>
    /// is its size and <paramref name="client"/> the client's address, or null for "the peer
    /// itself" (v1 UNKNOWN, v2 LOCAL). On Error, <paramref name="error"/> is the log line, or null when
    /// Apache closes without one (the bytes are no PROXY header at all).
    /// </summary>
    public static ProxyHeaderStatus Parse(ReadOnlySpan<byte> data, out int length, out IPEndPoint? client, out string? error)
    {
        length = 0;
        client = null;
        error = null;
        if (data.Length < MinLength)
        {
            return ProxyHeaderStatus.NeedMore;
        }

        if (data.StartsWith(V2Signature) && (data[12] & 0xF0) == 0x20)
        {
            return ParseV2(data, out length, out client, out error);
        }

        if (data.StartsWith("PROXY "u8))
        {
            return ParseV1(data, out length, out client, out error);
        }

        return ProxyHeaderStatus.Error;
    }

    private static ProxyHeaderStatus ParseV1(ReadOnlySpan<byte> data, out int length, out IPEndPoint? client, out string? error)
    {
        length = 0;
        client = null;
        error = null;
        int max = Math.Min(data.Length, V1MaxLength);
        int cr = -1;
        for (int i = 0; i + 1 < max; i++)
        {
            if (data[i] == '\r' && data[i + 1] == '\n')
            {
                cr = i;
                break;
            }
        }

        if (cr < 0)
        {
            if (data.Length >= V1MaxLength)
            {
                error = "AH10185: RemoteIPProxyProtocol header too long, got " + data.Length.ToString(CultureInfo.InvariantCulture) + " expected " + V1MaxLength.ToString(CultureInfo.InvariantCulture);
                return ProxyHeaderStatus.Error;
            }

            return ProxyHeaderStatus.NeedMore;
        }

        length = cr + 2;
        string line = Encoding.Latin1.GetString(data[..cr]);
        string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2)
        {
            error = Missing("family", line);
            return ProxyHeaderStatus.Error;
        }

        string chars;
        int family;
        switch (words[1])
        {
            case "UNKNOWN":
                return ProxyHeaderStatus.Done;
            case "TCP4":
                chars = "0123456789.";
                family = 2;
                break;
            case "TCP6":
                chars = "0123456789abcdefABCDEF:";
                family = 10;
                break;
            default:
                error = "AH03499: RemoteIPProxyProtocol: unknown family '" + words[1] + "' in header '" + line + "'";
                return ProxyHeaderStatus.Error;
        }

        if (words.Length < 3)
        {
            error = Missing("client-address", line);
            return ProxyHeaderStatus.Error;
        }

        string host = words[2];
        foreach (char c in host)
        {
            if (!chars.Contains(c, StringComparison.Ordinal))
            {
                error = "AH03500: RemoteIPProxyProtocol: invalid client-address '" + host + "' found in header '" + line + "'";
                return ProxyHeaderStatus.Error;
            }
        }

        if (words.Length < 4)
        {
            error = Missing("destination-address", line);
            return ProxyHeaderStatus.Error;
        }

        if (words.Length < 5)
        {
            error = Missing("client-port", line);
            return ProxyHeaderStatus.Error;
        }

        if (!TryScanPort(words[4], out ushort port))
        {
            error = "AH03501: RemoteIPProxyProtocol: error parsing port '" + words[4] + "' in header '" + line + "'";
            return ProxyHeaderStatus.Error;
        }

        if (!IPAddress.TryParse(host, out IPAddress? address) || (family == 2) != (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork))
        {
            error = "AH03502: RemoteIPProxyProtocol: error converting family '" + family.ToString(CultureInfo.InvariantCulture) + "', host '" + host + "', and port '"
                + port.ToString(CultureInfo.InvariantCulture) + "' to sockaddr; header was '" + line + "'";
            return ProxyHeaderStatus.Error;
        }

        client = new IPEndPoint(address, port);
        return ProxyHeaderStatus.Done;
    }

    // sscanf("%hu"): leading digits, taken modulo 65536 as C does for an unsigned short.
    private static bool TryScanPort(string word, out ushort port)
    {
        port = 0;
        int i = 0;
        if (i < word.Length && word[i] == '+')
        {
            i++;
        }

        int start = i;
        ulong v = 0;
        while (i < word.Length && char.IsAsciiDigit(word[i]))
        {
            v = unchecked((v * 10) + (ulong)(word[i] - '0'));
            i++;
        }

        port = unchecked((ushort)v);
        return i > start;
    }

    private static string Missing(string field, string line) => "AH03497: RemoteIPProxyProtocol: no " + field + " found in header '" + line + "'";

    private static ProxyHeaderStatus ParseV2(ReadOnlySpan<byte> data, out int length, out IPEndPoint? client, out string? error)
    {
        length = 0;
        client = null;
        error = null;
        if (data.Length < V2MinLength)
        {
            return ProxyHeaderStatus.NeedMore;
        }

        int need = V2MinLength + BinaryPrimitives.ReadUInt16BigEndian(data[14..]);
        if (need > MaxLength)
        {
            error = "AH10186: RemoteIPProxyProtocol protocol header length too long";
            return ProxyHeaderStatus.Error;
        }

        if (data.Length < need)
        {
            return ProxyHeaderStatus.NeedMore;
        }

        length = need;
        byte command = data[12];
        byte family = data[13];
        if ((command & 0x0F) == 0x00)
        {
            // LOCAL (a proxy's own connection, e.g. a health check): the peer is the client (2.4.71).
            return ProxyHeaderStatus.Done;
        }

        if ((command & 0x0F) != 0x01)
        {
            error = "AH03507: RemoteIPProxyProtocol: unsupported command " + command.ToString("x2", CultureInfo.InvariantCulture);
            return ProxyHeaderStatus.Error;
        }

        switch (family)
        {
            case 0x11 when need >= V2MinLength + 12:
                client = new IPEndPoint(new IPAddress(data.Slice(16, 4)), BinaryPrimitives.ReadUInt16BigEndian(data[24..]));
                return ProxyHeaderStatus.Done;
            case 0x11:
                error = "AH10597: RemoteIPProxyProtocol: address length " + (need - V2MinLength).ToString(CultureInfo.InvariantCulture) + " too short for TCPv4";
                return ProxyHeaderStatus.Error;
            case 0x21 when need >= V2MinLength + 36:
                client = new IPEndPoint(new IPAddress(data.Slice(16, 16)), BinaryPrimitives.ReadUInt16BigEndian(data[48..]));
                return ProxyHeaderStatus.Done;
            case 0x21:
                error = "AH10598: RemoteIPProxyProtocol: address length " + (need - V2MinLength).ToString(CultureInfo.InvariantCulture) + " too short for TCPv6";
                return ProxyHeaderStatus.Error;
            default:
                error = "AH10183: RemoteIPProxyProtocol: unsupported protocol " + family.ToString("x2", CultureInfo.InvariantCulture);
                return ProxyHeaderStatus.Error;
        }
    }
}
