using System.Collections.Generic;

namespace Pluma.Modules.Alias;

/// <summary>mod_alias's per-directory record: Redirects written inside a section, checked in the fixups phase.</summary>
public sealed class AliasDirConfig
{
    public List<AliasEntry> Redirects { get; } = [];

    /// <summary>RedirectRelative: null = not set (Off).</summary>
    public bool? RedirectRelative { get; set; }

    public static AliasDirConfig Merge(AliasDirConfig parent, AliasDirConfig child)
    {
        var m = new AliasDirConfig { RedirectRelative = child.RedirectRelative ?? parent.RedirectRelative };
        m.Redirects.AddRange(child.Redirects);
        m.Redirects.AddRange(parent.Redirects);
        return m;
    }
}
