using System.Collections.Concurrent;
using System.Collections.Generic;

namespace Pluma.Modules.Proxy;

/// <summary>mod_proxy's per-server record (proxy_server_conf).</summary>
public sealed class ProxyServerConfig
{
    /// <summary>ProxyPass and ProxyPassMatch, in config order (a virtual host's before the main server's).</summary>
    public List<ProxyPassEntry> Passes { get; } = [];

    /// <summary>Workers the configuration defined, longest name first at lookup.</summary>
    public List<ProxyWorker> Workers { get; } = [];

    /// <summary>&lt;Proxy&gt; and &lt;ProxyMatch&gt; sections in config order.</summary>
    public List<ProxySection> Sections { get; } = [];

    /// <summary>ProxyRequests (forward proxying); only Off is built.</summary>
    public bool? Requests { get; set; }

    /// <summary>ProxyVia: null/Off, On, Full, Block.</summary>
    public string? Via { get; set; }

    /// <summary>ProxyTimeout; null means the server's Timeout.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Workers made on demand for URLs no ProxyPass defined (SetHandler "proxy:..."), by name.</summary>
    internal ConcurrentDictionary<string, ProxyWorker> ImplicitWorkers { get; } = new(StringComparer.Ordinal);

    /// <summary>merge_proxy_config: the virtual host's entries first, then the main server's.</summary>
    public static ProxyServerConfig Merge(ProxyServerConfig main, ProxyServerConfig vhost)
    {
        var m = new ProxyServerConfig
        {
            Requests = vhost.Requests ?? main.Requests,
            Via = vhost.Via ?? main.Via,
            Timeout = vhost.Timeout ?? main.Timeout,
        };
        m.Passes.AddRange(vhost.Passes);
        m.Passes.AddRange(main.Passes);
        m.Workers.AddRange(vhost.Workers);
        m.Workers.AddRange(main.Workers);
        m.Sections.AddRange(main.Sections);
        m.Sections.AddRange(vhost.Sections);
        return m;
    }
}
