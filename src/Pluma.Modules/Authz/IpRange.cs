using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Pluma.Modules.Authz;

/// <summary>
/// One "Require ip" argument as apr_ipsubnet_create reads it: a full address, a partial IPv4
/// address ("10.1" = 10.1.0.0/16), address/prefix-length, or address/netmask.
/// </summary>
public sealed record IpRange(IPAddress Network, int PrefixLength)
{
    public static IpRange? TryParse(string text)
    {
        string addr = text;
        string? mask = null;
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            addr = text[..slash];
            mask = text[(slash + 1)..];
        }

        if (!addr.Contains(':', StringComparison.Ordinal) && addr.AsSpan().Count('.') < 3)
        {
            // Partial IPv4: each given octet is fixed, the rest are wildcards.
            if (mask is not null)
            {
                return null;
            }

            string[] parts = addr.TrimEnd('.').Split('.');
            if (parts.Length is 0 or > 3)
            {
                return null;
            }

            byte[] bytes = new byte[4];
            for (int i = 0; i < parts.Length; i++)
            {
                if (!byte.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
                {
                    return null;
                }
            }

            return new IpRange(new IPAddress(bytes), parts.Length * 8);
        }

        if (!IPAddress.TryParse(addr, out IPAddress? ip))
        {
            return null;
        }

        int max = ip.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        int prefix = max;
        if (mask is not null)
        {
            if (int.TryParse(mask, NumberStyles.None, CultureInfo.InvariantCulture, out int bits))
            {
                if (bits > max)
                {
                    return null;
                }

                prefix = bits;
            }
            else if (IPAddress.TryParse(mask, out IPAddress? m) && m.AddressFamily == ip.AddressFamily)
            {
                prefix = 0;
                foreach (byte b in m.GetAddressBytes())
                {
                    prefix += System.Numerics.BitOperations.PopCount(b);
                }
            }
            else
            {
                return null;
            }
        }

        return new IpRange(ip, prefix);
    }

    /// <summary>Whether a refused argument failed on its mask (the address part alone parses).</summary>
    public static bool IsBadMask(string text)
    {
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 && TryParse(text[..slash]) is not null;
    }

    /// <summary>Whether <paramref name="address"/> (IPv4-mapped IPv6 counts as IPv4) is inside the range.</summary>
    public bool Contains(IPAddress address)
    {
        IPAddress a = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (a.AddressFamily != Network.AddressFamily)
        {
            return false;
        }

        Span<byte> x = stackalloc byte[16];
        Span<byte> y = stackalloc byte[16];
        a.TryWriteBytes(x, out int n);
        Network.TryWriteBytes(y, out _);
        int bits = PrefixLength;
        for (int i = 0; i < n && bits > 0; i++, bits -= 8)
        {
            int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
            if ((x[i] & mask) != (y[i] & mask))
            {
                return false;
            }
        }

        return true;
    }
}
