using System.Collections.Generic;

namespace Pluma.Modules.AllowMethods;

/// <summary>mod_allowmethods' am_conf_t: the methods allowed (HEAD stands for GET), and whether this section set them.</summary>
public sealed class AllowMethodsDirConfig
{
    /// <summary>The allowed methods; empty means no restriction ("reset", or never set).</summary>
    public HashSet<string> Allowed { get; } = new(StringComparer.Ordinal);

    public bool IsSet { get; set; }

    /// <summary>am_merge_conf: a section that says AllowMethods replaces its parent's list.</summary>
    public static AllowMethodsDirConfig Merge(AllowMethodsDirConfig parent, AllowMethodsDirConfig child) => child.IsSet ? child : parent;
}
