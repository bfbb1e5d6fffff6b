using System.Linq;
using Pluma.Config;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Hosting;
using Pluma.Modules.Proxy;

namespace Pluma.Modules.ProxyBalancer;

/// <summary>
/// mod_proxy_balancer: a request for balancer://name/... goes to one of the balancer's members,
/// chosen by sticky session route or by the lbmethod (mod_lbmethod_byrequests,
/// mod_lbmethod_bybusyness); a member that cannot be reached is put in error state for its
/// retry= seconds and the request goes to another one (<see cref="BalancerHandler"/>). The
/// balancer-manager handler is not built: a request for it is refused.
/// </summary>
public static class ProxyBalancerModule
{
    public const string Name = "proxy_balancer_module";

    public const string ByRequestsName = "lbmethod_byrequests_module";

    public const string ByBusynessName = "lbmethod_bybusyness_module";

    public static ModuleDescriptor Descriptor { get; } = new(Name, "mod_proxy_balancer.c", BalancerDirectives.All())
    {
        CreateServerConfig = () => new ProxyBalancerServerConfig(),
        MergeServerConfig = (b, a) => ProxyBalancerServerConfig.Merge((ProxyBalancerServerConfig)b, (ProxyBalancerServerConfig)a),
    };

    public static HttpModule Create() => new(Descriptor)
    {
        Initialize = RegisterMembers,
        Handler = BalancerHandler.Handle,
    };

    /// <summary>mod_lbmethod_byrequests: a provider only (no directives, no hooks).</summary>
    public static HttpModule CreateByRequests() => new(new ModuleDescriptor(ByRequestsName, "mod_lbmethod_byrequests.c", []));

    /// <summary>mod_lbmethod_bybusyness: a provider only (no directives, no hooks).</summary>
    public static HttpModule CreateByBusyness() => new(new ModuleDescriptor(ByBusynessName, "mod_lbmethod_bybusyness.c", []));

    /// <summary>
    /// mod_slotmem_shm, which Debian's proxy_balancer.load depends on: a provider only. Pluma's
    /// balancer keeps its members' state in each child's memory, so it holds nothing.
    /// </summary>
    public static HttpModule CreateSlotmemShm() => new(new ModuleDescriptor("slotmem_shm_module", "mod_slotmem_shm.c", []));

    /// <summary>The balancers of the request's server.</summary>
    public static ProxyBalancerServerConfig ServerConfig(RequestRecord r) =>
        r.Server.Config.ModuleConfig.Get<ProxyBalancerServerConfig>(Descriptor) ?? s_empty;

    private static readonly ProxyBalancerServerConfig s_empty = new();

    // The members' workers join mod_proxy's worker list, so that the scheme handler finds each
    // member's own parameters (timeouts, pool) when it serves the rewritten URL.
    private static void RegisterMembers(ServerRuntime runtime)
    {
        foreach (VirtualServer s in runtime.VirtualHosts.Prepend(runtime.MainServer))
        {
            ProxyBalancerServerConfig? balancers = s.Config.ModuleConfig.Get<ProxyBalancerServerConfig>(Descriptor);
            ProxyServerConfig? proxy = s.Config.ModuleConfig.Get<ProxyServerConfig>(ProxyModule.Descriptor);
            if (balancers is null || proxy is null)
            {
                continue;
            }

            foreach (Balancer b in balancers.Balancers)
            {
                foreach (BalancerMember m in b.Members)
                {
                    if (!proxy.Workers.Contains(m.Worker))
                    {
                        proxy.Workers.Add(m.Worker);
                    }
                }

                // recalc_factors: a single member always has the whole share.
                if (b.Members.Count == 1)
                {
                    b.Members[0].LbFactor = 100;
                }
            }
        }
    }

    internal static void Debug(RequestRecord r, string message)
    {
        if (r.Server.ErrorLog.IsEnabled(LogLevel.Debug, "proxy_balancer"))
        {
            r.Server.ErrorLog.Write(LogLevel.Debug, "proxy_balancer", message, LogClient.Of(r));
        }
    }
}
