using System.Collections.Generic;

namespace Pluma.Modules.Rewrite;

/// <summary>mod_rewrite's per-directory record (rewrite_perdir_conf): a &lt;Directory&gt; or an .htaccess.</summary>
public sealed class RewriteDirConfig
{
    public RewriteDirConfig(string? path)
    {
        // config_perdir_create: the section's path with a trailing slash.
        Directory = path is null ? null : path.EndsWith('/') ? path : path + "/";
    }

    private RewriteDirConfig(string? directory, bool marker)
    {
        _ = marker;
        Directory = directory;
    }

    /// <summary>The prefix stripped from and re-added to the file name ("/var/www/html/"); null for the server's defaults.</summary>
    public string? Directory { get; }

    public bool? Engine { get; set; }

    public RewriteOptionBits? Options { get; set; }

    /// <summary>RewriteBase: null when not set.</summary>
    public string? BaseUrl { get; set; }

    public List<RewriteCondEntry> PendingConditions { get; set; } = [];

    public List<RewriteRuleEntry> Rules { get; set; } = [];

    public bool Enabled => Engine == true;

    public RewriteOptionBits EffectiveOptions => Options ?? RewriteOptionBits.None;

    /// <summary>config_perdir_merge: the inner section's rules replace the outer's unless Inherit (after) or InheritBefore (before).</summary>
    public static RewriteDirConfig Merge(RewriteDirConfig parent, RewriteDirConfig child)
    {
        var m = new RewriteDirConfig(child.Directory, marker: true)
        {
            Engine = child.Engine ?? parent.Engine,
            Options = child.Options ?? parent.Options,
        };
        RewriteOptionBits o = m.EffectiveOptions;

        // RewriteBase is inherited only with MergeBase (2.4.4 and later).
        m.BaseUrl = (o & RewriteOptionBits.MergeBase) != 0 ? child.BaseUrl ?? parent.BaseUrl : child.BaseUrl;
        if ((o & RewriteOptionBits.InheritBefore) != 0)
        {
            m.PendingConditions = [.. child.PendingConditions, .. parent.PendingConditions];
            m.Rules = [.. parent.Rules, .. child.Rules];
        }
        else if ((o & RewriteOptionBits.Inherit) != 0)
        {
            m.PendingConditions = [.. child.PendingConditions, .. parent.PendingConditions];
            m.Rules = [.. child.Rules, .. parent.Rules];
        }
        else
        {
            m.PendingConditions = child.PendingConditions;
            m.Rules = child.Rules;
        }

        return m;
    }
}
