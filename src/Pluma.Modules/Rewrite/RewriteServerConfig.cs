using System.Collections.Generic;

namespace Pluma.Modules.Rewrite;

/// <summary>RewriteOptions bits (OPTION_*).</summary>
[Flags]
public enum RewriteOptionBits
{
    None = 0,
    Inherit = 1,
    InheritBefore = 2,
    NoSlash = 4,
    AnyUri = 8,
    MergeBase = 16,
    InheritDown = 32,
    InheritDownBefore = 64,
    IgnoreInherit = 128,
    IgnoreContextInfo = 256,
    LegacyPrefixDocRoot = 512,
}

/// <summary>mod_rewrite's per-server record (rewrite_server_conf).</summary>
public sealed class RewriteServerConfig
{
    /// <summary>RewriteEngine: null when not set here (the main server's state is inherited).</summary>
    public bool? Engine { get; set; }

    public RewriteOptionBits? Options { get; set; }

    public Dictionary<string, RewriteMapDefinition> Maps { get; set; } = new(StringComparer.Ordinal);

    /// <summary>RewriteConds waiting for the next RewriteRule.</summary>
    public List<RewriteCondEntry> PendingConditions { get; set; } = [];

    public List<RewriteRuleEntry> Rules { get; set; } = [];

    public bool Enabled => Engine == true;

    public RewriteOptionBits EffectiveOptions => Options ?? RewriteOptionBits.None;

    // A virtual host without rewrite directives shares the main server's record in Pluma's
    // config vectors; in Apache it has its own, merged over the main server's (state inherited,
    // rules only with Inherit). Made once, on first use.
    private RewriteServerConfig? _forVirtualHost;

    /// <summary>What a virtual host without its own mod_rewrite directives gets (config_server_merge over an empty record).</summary>
    public RewriteServerConfig ForVirtualHostWithoutDirectives => _forVirtualHost ??= Merge(this, new RewriteServerConfig());

    /// <summary>config_server_merge: state and options inherited; maps, conditions and rules only with Inherit (or InheritDown on the main server).</summary>
    public static RewriteServerConfig Merge(RewriteServerConfig main, RewriteServerConfig vhost)
    {
        var m = new RewriteServerConfig
        {
            Engine = vhost.Engine ?? main.Engine,
            Options = vhost.Options ?? main.Options,
        };
        RewriteOptionBits own = m.EffectiveOptions;
        RewriteOptionBits down = main.EffectiveOptions;
        if ((own & RewriteOptionBits.Inherit) != 0
            || ((down & RewriteOptionBits.InheritDown) != 0 && (own & RewriteOptionBits.IgnoreInherit) == 0))
        {
            m.Maps = new Dictionary<string, RewriteMapDefinition>(main.Maps, StringComparer.Ordinal);
            foreach (var (k, v) in vhost.Maps)
            {
                m.Maps[k] = v;
            }

            m.PendingConditions = [.. vhost.PendingConditions, .. main.PendingConditions];
            m.Rules = [.. vhost.Rules, .. main.Rules];
        }
        else if ((own & RewriteOptionBits.InheritBefore) != 0
            || ((down & RewriteOptionBits.InheritDownBefore) != 0 && (own & RewriteOptionBits.IgnoreInherit) == 0))
        {
            m.Maps = new Dictionary<string, RewriteMapDefinition>(main.Maps, StringComparer.Ordinal);
            foreach (var (k, v) in vhost.Maps)
            {
                m.Maps[k] = v;
            }

            m.PendingConditions = [.. vhost.PendingConditions, .. main.PendingConditions];
            m.Rules = [.. main.Rules, .. vhost.Rules];
        }
        else
        {
            m.Maps = vhost.Maps;
            m.PendingConditions = vhost.PendingConditions;
            m.Rules = vhost.Rules;
        }

        return m;
    }
}
