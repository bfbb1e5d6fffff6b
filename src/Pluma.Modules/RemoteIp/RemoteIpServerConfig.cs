using System.Collections.Generic;
using Pluma.Modules.Authz;

namespace Pluma.Modules.RemoteIp;

/// <summary>One RemoteIPTrustedProxy or RemoteIPInternalProxy entry (remoteip_proxymatch_t).</summary>
public sealed record RemoteIpProxy(IpRange Range, bool Internal);

/// <summary>mod_remoteip's per-server record (remoteip_config_t).</summary>
public sealed class RemoteIpServerConfig
{
    /// <summary>RemoteIPHeader: the request field that names the client (X-Forwarded-For), or null.</summary>
    public string? HeaderName { get; set; }

    /// <summary>RemoteIPProxiesHeader: where the trusted proxies that were passed are recorded, or null.</summary>
    public string? ProxiesHeaderName { get; set; }

    /// <summary>RemoteIPTrustedProxy/RemoteIPInternalProxy (and their *List files) in order; null when none was given.</summary>
    public List<RemoteIpProxy>? Proxies { get; set; }

    /// <summary>RemoteIPProxyProtocol of this server itself (never inherited: Apache keeps it per address).</summary>
    public bool? ProxyProtocol { get; set; }

    /// <summary>RemoteIPProxyProtocolExceptions given in this server (Apache keeps one list for all servers).</summary>
    public List<IpRange> ProxyProtocolExceptions { get; } = [];

    /// <summary>merge_remoteip_server_config: each field from the virtual host, else from the main server.</summary>
    public static RemoteIpServerConfig Merge(RemoteIpServerConfig main, RemoteIpServerConfig vhost)
    {
        var m = new RemoteIpServerConfig
        {
            HeaderName = vhost.HeaderName ?? main.HeaderName,
            ProxiesHeaderName = vhost.ProxiesHeaderName ?? main.ProxiesHeaderName,
            Proxies = vhost.Proxies ?? main.Proxies,
            ProxyProtocol = vhost.ProxyProtocol,
        };
        m.ProxyProtocolExceptions.AddRange(vhost.ProxyProtocolExceptions);
        return m;
    }
}
