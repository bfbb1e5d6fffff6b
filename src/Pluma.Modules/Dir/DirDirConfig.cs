using System.Collections.Generic;

namespace Pluma.Modules.Dir;

/// <summary>mod_dir's per-directory record (dir_config_rec). Null fields were not set in this section.</summary>
public sealed class DirDirConfig
{
    /// <summary>DirectoryIndex names; null = not set (Apache's default index.html), empty = "disabled".</summary>
    public List<string>? IndexNames { get; set; }

    public bool? DirectorySlash { get; set; }

    public bool? DirectoryCheckHandler { get; set; }

    /// <summary>DirectoryIndexRedirect: 0 = off, else the 3xx status to answer with instead of an internal redirect.</summary>
    public int? IndexRedirect { get; set; }

    /// <summary>FallbackResource URL, or "disabled".</summary>
    public string? FallbackResource { get; set; }

    /// <summary>The names to try, as fixup_dir does.</summary>
    public IReadOnlyList<string> EffectiveIndexNames => (IReadOnlyList<string>?)IndexNames ?? DirDefaults.IndexNames;

    public static DirDirConfig Merge(DirDirConfig parent, DirDirConfig child) => new()
    {
        IndexNames = child.IndexNames ?? parent.IndexNames,
        DirectorySlash = child.DirectorySlash ?? parent.DirectorySlash,
        DirectoryCheckHandler = child.DirectoryCheckHandler ?? parent.DirectoryCheckHandler,
        IndexRedirect = child.IndexRedirect ?? parent.IndexRedirect,
        FallbackResource = child.FallbackResource ?? parent.FallbackResource,
    };
}
