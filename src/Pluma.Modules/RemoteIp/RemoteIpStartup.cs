using System.Collections.Generic;
using System.Linq;
using Pluma.Connections;
using Pluma.Http;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.RemoteIp;

/// <summary>
/// Puts mod_remoteip's PROXY protocol reader in front of the connection's other protocols (TLS,
/// HTTP) when some server has RemoteIPProxyProtocol On, as Apache's pre_connection hook does.
/// </summary>
public static class RemoteIpStartup
{
    public static IConnectionHandler Wrap(IConnectionHandler inner, HttpServerOptions options, ServerRuntime runtime)
    {
        if (runtime.Find(RemoteIpModule.Name) is null)
        {
            return inner;
        }

        var policy = new ProxyProtocolPolicy();
        var any = new VirtualHostAddress(null, null, "*");
        foreach (VirtualServer s in new[] { runtime.MainServer }.Concat(runtime.VirtualHosts))
        {
            // The main server's own record (never merged) decides for every address.
            if (s.Config.ModuleConfig.Get<RemoteIpServerConfig>(RemoteIpModule.Descriptor) is not { } c)
            {
                continue;
            }

            if (c.ProxyProtocol is bool on)
            {
                IReadOnlyList<VirtualHostAddress> addresses = s.Config.IsVirtual ? s.Config.Addresses.Select(VirtualHostAddress.Parse).ToList() : [any];
                policy.Add(addresses, on, c.ProxyProtocolExceptions);
            }
            else
            {
                policy.AddExceptions(c.ProxyProtocolExceptions);
            }
        }

        if (policy.IsEmpty)
        {
            return inner;
        }

        // mod_reqtimeout's header stage covers the header's read in Apache (its filter sits above mod_remoteip's).
        TimeSpan timeout = options.HeaderReadTimeout.Initial > TimeSpan.Zero ? options.HeaderReadTimeout.Initial : options.Timeout;
        return new ProxyProtocolConnectionHandler(inner, policy, runtime.ErrorLog, timeout);
    }
}
