using System.Collections.Generic;

namespace Pluma.Modules.Filter;

/// <summary>mod_filter's per-directory record: the AddOutputFilterByType pairs, in the order written.</summary>
public sealed class FilterDirConfig
{
    /// <summary>(filter name, media type) pairs; a section's pairs come after the ones it inherits.</summary>
    public List<(string Filter, string Type)> ByType { get; } = [];

    public static FilterDirConfig Merge(FilterDirConfig parent, FilterDirConfig child)
    {
        if (child.ByType.Count == 0)
        {
            return parent;
        }

        if (parent.ByType.Count == 0)
        {
            return child;
        }

        var merged = new FilterDirConfig();
        merged.ByType.AddRange(parent.ByType);
        merged.ByType.AddRange(child.ByType);
        return merged;
    }
}
