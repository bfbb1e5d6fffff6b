using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using Pluma.Config;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.RemoteIp;

/// <summary>
/// remoteip_hook_post_config's notices: once the configuration is read (start-up and every
/// restart, in the parent), AH03492 for each address where RemoteIPProxyProtocol is on and
/// AH03494 for each where a later server turned it off. Apache keeps each list newest first and
/// moves an address from one list to the other when a later server says the opposite; the
/// main server's address is 0.0.0.0:0.
/// </summary>
public static class ProxyProtocolNotices
{
    public static IReadOnlyList<string> Of(LoadedConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var enabled = new List<(IPAddress Address, int Port)>();
        var disabled = new List<(IPAddress Address, int Port)>();
        foreach (ServerConfig s in config.VirtualHosts.Prepend(config.MainServer))
        {
            if (s.ModuleConfig.Get<RemoteIpServerConfig>(RemoteIpModule.Descriptor) is not { ProxyProtocol: bool on })
            {
                continue;
            }

            IEnumerable<(IPAddress, int)> addresses = s.IsVirtual
                ? s.Addresses.Select(VirtualHostAddress.Parse).Select(a => (a.Address ?? IPAddress.Any, a.Port ?? 0))
                : [(IPAddress.Any, 0)];
            List<(IPAddress Address, int Port)> add = on ? enabled : disabled, remove = on ? disabled : enabled;
            foreach ((IPAddress address, int port) in addresses)
            {
                // remoteip_enable_proxy_protocol: out of the opposite list (exact match), into this one
                // unless an entry there already covers it (a wildcard address or port 0 does).
                int at = remove.FindIndex(x => x.Address.Equals(address) && x.Port == port);
                if (at >= 0)
                {
                    remove.RemoveAt(at);
                }

                if (!add.Exists(x => Covers(x, (address, port)) || Covers((address, port), x)))
                {
                    add.Insert(0, (address, port));
                }
            }
        }

        return [.. enabled.Select(a => "AH03492: RemoteIPProxyProtocol: enabled on " + Text(a)), .. disabled.Select(a => "AH03494: RemoteIPProxyProtocol: disabled on " + Text(a))];
    }

    private static bool Covers((IPAddress Address, int Port) a, (IPAddress Address, int Port) b) =>
        (a.Address.Equals(b.Address) && (a.Port == b.Port || a.Port == 0 || b.Port == 0))
        || (a.Address.Equals(IPAddress.Any) && (a.Port == 0 || a.Port == b.Port));

    private static string Text((IPAddress Address, int Port) a) => a.Address + ":" + a.Port.ToString(CultureInfo.InvariantCulture);
}
