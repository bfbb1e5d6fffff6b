using System.Collections.Generic;
using Pluma.Config.Expressions;

namespace Pluma.Modules.Filter;

/// <summary>
/// One of mod_filter's smart filters (FilterDeclare, or implied by FilterProvider and by
/// AddOutputFilterByType's "BYTYPE:NAME"): its providers, the most recently configured first,
/// as Apache tries them.
/// </summary>
public sealed class SmartFilter
{
    public SmartFilter(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public List<FilterProvider> Providers { get; } = [];
}

/// <summary>A provider of a smart filter: the real filter (DEFLATE) and when it runs, an ap_expr or a list of media types.</summary>
public sealed record FilterProvider(string FilterName, ConfigExpression? Condition, string? MediaType);
