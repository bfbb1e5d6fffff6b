using System.Globalization;
using System.Net;

namespace Pluma.Modules.Hosting;

/// <summary>
/// One address of a &lt;VirtualHost&gt; line: <c>*:80</c>, <c>127.0.0.1:8080</c>,
/// <c>[::1]:80</c>, <c>_default_:443</c>, or a bare address (any port).
/// </summary>
public sealed record VirtualHostAddress(IPAddress? Address, int? Port, string Text)
{
    /// <summary>Parses what Apache accepts; host names are resolved only if they are literal addresses.</summary>
    public static VirtualHostAddress Parse(string text)
    {
        string host = text;
        int? port = null;
        int colon = text.LastIndexOf(':');
        if (colon > 0 && (text[0] != '[' || text[colon - 1] == ']'))
        {
            string p = text[(colon + 1)..];
            host = text[..colon];
            port = p == "*" ? null : int.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture);
        }

        host = host.Trim('[', ']');
        IPAddress? address = host is "*" or "_default_" ? null
            : IPAddress.TryParse(host, out IPAddress? ip) ? ip
            : host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : null;
        return new VirtualHostAddress(address, port, text);
    }

    /// <summary>Whether a connection to <paramref name="local"/> matches this address.</summary>
    public bool Matches(IPEndPoint local)
    {
        if (Port is int p && p != local.Port)
        {
            return false;
        }

        if (Address is null)
        {
            return true;
        }

        IPAddress a = local.Address.IsIPv4MappedToIPv6 ? local.Address.MapToIPv4() : local.Address;
        return Address.Equals(a);
    }

    /// <summary>A wildcard address (<c>*</c>, <c>_default_</c>) matches weaker than a literal one.</summary>
    public bool IsWildcard => Address is null;
}
