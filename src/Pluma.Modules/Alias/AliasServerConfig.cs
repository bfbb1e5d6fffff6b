using System.Collections.Generic;

namespace Pluma.Modules.Alias;

/// <summary>mod_alias's per-server record: aliases and redirects in config order (first match wins).</summary>
public sealed class AliasServerConfig
{
    public List<AliasEntry> Aliases { get; } = [];

    public List<AliasEntry> Redirects { get; } = [];

    /// <summary>merge_alias_config: a virtual host's entries are tried before the main server's.</summary>
    public static AliasServerConfig Merge(AliasServerConfig main, AliasServerConfig vhost)
    {
        var m = new AliasServerConfig();
        m.Aliases.AddRange(vhost.Aliases);
        m.Aliases.AddRange(main.Aliases);
        m.Redirects.AddRange(vhost.Redirects);
        m.Redirects.AddRange(main.Redirects);
        return m;
    }
}
