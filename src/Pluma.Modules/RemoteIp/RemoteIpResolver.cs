using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace Pluma.Modules.RemoteIp;

/// <summary>What mod_remoteip made of a proxy's header (remoteip_req_t).</summary>
/// <param name="Client">The client's address, or null when the header named none that could be trusted.</param>
/// <param name="Remaining">What is left of the header (the addresses not consumed), or null when all were.</param>
/// <param name="ProxyIps">The trusted (non-internal) proxies passed, ", "-separated, or null.</param>
/// <param name="Refusal">The debug line (AH01568/AH01569) for the address that stopped the walk, or null.</param>
public readonly record struct RemoteIpResult(IPAddress? Client, string? Remaining, string? ProxyIps, string? Refusal);

/// <summary>
/// remoteip_modify_request's walk: from the right end of the header, while the address the
/// request came from is a trusted proxy, the next address to the left becomes the client.
/// An external (RemoteIPTrustedProxy) proxy may not present a private or otherwise
/// non-global address; without any proxy list every peer is trusted as external.
/// </summary>
public static class RemoteIpResolver
{
    public static RemoteIpResult Resolve(string headerName, string value, IPAddress from, List<RemoteIpProxy>? proxies)
    {
        // With a proxy list the walk starts as internal: an internal proxy may present an
        // external one, never the other way round.
        bool isInternal = proxies is not null;
        IPAddress current = Normalize(from);
        IPAddress? client = null;
        string? proxyIps = null;
        int end = value.Length;
        while (end >= 0)
        {
            if (proxies is not null)
            {
                RemoteIpProxy? match = null;
                foreach (RemoteIpProxy p in proxies)
                {
                    if (p.Range.Contains(current))
                    {
                        match = p;
                        break;
                    }
                }

                if (match is null)
                {
                    break;
                }

                if (isInternal)
                {
                    isInternal = match.Internal;
                }
            }

            int comma = end == 0 ? -1 : value.LastIndexOf(',', end - 1);
            string item = value[(comma + 1)..end].Trim(' ');
            if (item.Length == 0)
            {
                return Done(client, Rest(value, end), proxyIps, null);
            }

            if (!IPAddress.TryParse(item, out IPAddress? parsed) || item.Contains('%', StringComparison.Ordinal))
            {
                return Done(client, Rest(value, end), proxyIps, "AH01568: RemoteIP: Header " + headerName + " value of " + item + " cannot be parsed as a client IP");
            }

            parsed = Normalize(parsed);
            if (!isInternal && !IsGlobal(parsed))
            {
                return Done(client, Rest(value, end), proxyIps, "AH01569: RemoteIP: Header " + headerName + " value of " + item + " appears to be a private IP or nonsensical.  Ignored");
            }

            if (!isInternal)
            {
                string passed = current.ToString();
                proxyIps = proxyIps is null ? passed : proxyIps + ", " + passed;
            }

            client = current = parsed;
            end = comma;
        }

        return Done(client, end < 0 ? null : Rest(value, end), proxyIps, null);
    }

    private static RemoteIpResult Done(IPAddress? client, string? remaining, string? proxyIps, string? refusal) =>
        client is null ? new RemoteIpResult(null, null, null, refusal) : new RemoteIpResult(client, remaining, proxyIps, refusal);

    // The header up to and including the item that stopped the walk, without its trailing spaces.
    private static string Rest(string value, int end) => value[..end].TrimEnd(' ');

    private static IPAddress Normalize(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;

    /// <summary>
    /// What an external proxy may present: an IPv4 address outside 10/8, 127/8, 169.254/16,
    /// 172.16/12 and 192.168/16 (RFC 3330), or an IPv6 global unicast address (2000::/3).
    /// </summary>
    public static bool IsGlobal(IPAddress a)
    {
        Span<byte> b = stackalloc byte[16];
        a.TryWriteBytes(b, out _);
        if (a.AddressFamily == AddressFamily.InterNetwork)
        {
            return !(b[0] == 10 || b[0] == 127 || (b[0] == 169 && b[1] == 254) || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168));
        }

        return (b[0] & 0xE0) == 0x20;
    }
}
