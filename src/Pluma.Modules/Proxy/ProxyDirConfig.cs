using System.Collections.Generic;

namespace Pluma.Modules.Proxy;

/// <summary>mod_proxy's per-directory record (proxy_dir_conf).</summary>
public sealed class ProxyDirConfig
{
    public List<ProxyReverseEntry> Reverses { get; } = [];

    public bool? PreserveHost { get; set; }

    public bool? ErrorOverride { get; set; }

    /// <summary>ProxyAddHeaders (default On): X-Forwarded-For, -Host and -Server.</summary>
    public bool? AddHeaders { get; set; }

    public static ProxyDirConfig Merge(ProxyDirConfig b, ProxyDirConfig a)
    {
        var m = new ProxyDirConfig
        {
            PreserveHost = a.PreserveHost ?? b.PreserveHost,
            ErrorOverride = a.ErrorOverride ?? b.ErrorOverride,
            AddHeaders = a.AddHeaders ?? b.AddHeaders,
        };
        m.Reverses.AddRange(a.Reverses);
        m.Reverses.AddRange(b.Reverses);
        return m;
    }
}
