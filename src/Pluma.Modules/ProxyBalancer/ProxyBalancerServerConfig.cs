using System.Collections.Generic;

namespace Pluma.Modules.ProxyBalancer;

/// <summary>The balancers a server defined (proxy_server_conf's balancers, kept by mod_proxy_balancer in Pluma).</summary>
public sealed class ProxyBalancerServerConfig
{
    /// <summary>The balancers by name ("balancer://name", lower case), in definition order.</summary>
    public List<Balancer> Balancers { get; } = [];

    public Balancer? Find(string name)
    {
        foreach (Balancer b in Balancers)
        {
            if (string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return b;
            }
        }

        return null;
    }

    /// <summary>The balancer named <paramref name="name"/>, made when first named (ap_proxy_define_balancer).</summary>
    public Balancer Define(string name)
    {
        if (Find(name) is { } b)
        {
            return b;
        }

        b = new Balancer(name.ToLowerInvariant());
        Balancers.Add(b);
        return b;
    }

    /// <summary>BalancerInherit On (Apache's default): a virtual host also has the main server's balancers.</summary>
    public static ProxyBalancerServerConfig Merge(ProxyBalancerServerConfig main, ProxyBalancerServerConfig vhost)
    {
        var m = new ProxyBalancerServerConfig();
        m.Balancers.AddRange(vhost.Balancers);
        foreach (Balancer b in main.Balancers)
        {
            if (vhost.Find(b.Name) is null)
            {
                m.Balancers.Add(b);
            }
        }

        return m;
    }
}
