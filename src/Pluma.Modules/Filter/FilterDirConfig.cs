using System.Collections.Generic;

namespace Pluma.Modules.Filter;

/// <summary>
/// mod_filter's per-directory record (mod_filter_cfg): the smart filters declared here and the
/// filter chain said here. A null entry in the chain is Apache's reset mark ("FilterChain !" or
/// "=name"): the merge drops whatever the parent sections put before it.
/// </summary>
public sealed class FilterDirConfig
{
    /// <summary>Smart filters by name; names are compared exactly, as Apache's hash does.</summary>
    public Dictionary<string, SmartFilter> Declared { get; } = new(StringComparer.Ordinal);

    /// <summary>The chain this section says, or null when it says none.</summary>
    public List<string?>? Chain { get; set; }

    /// <summary>filter_merge: the child's declarations hide the parent's of the same name; both chains join, a reset mark restarting it.</summary>
    public static FilterDirConfig Merge(FilterDirConfig parent, FilterDirConfig child)
    {
        if (child.Declared.Count == 0 && child.Chain is null)
        {
            return parent;
        }

        if (parent.Declared.Count == 0 && parent.Chain is null)
        {
            return child;
        }

        var merged = new FilterDirConfig();
        foreach (KeyValuePair<string, SmartFilter> d in parent.Declared)
        {
            merged.Declared[d.Key] = d.Value;
        }

        foreach (KeyValuePair<string, SmartFilter> d in child.Declared)
        {
            merged.Declared[d.Key] = d.Value;
        }

        if (parent.Chain is not null && child.Chain is not null)
        {
            merged.Chain = [];
            Append(merged.Chain, parent.Chain);
            Append(merged.Chain, child.Chain);
        }
        else
        {
            merged.Chain = child.Chain ?? parent.Chain;
        }

        return merged;
    }

    private static void Append(List<string?> chain, List<string?> links)
    {
        foreach (string? link in links)
        {
            if (link is null)
            {
                chain.Clear();
            }

            chain.Add(link);
        }
    }
}
