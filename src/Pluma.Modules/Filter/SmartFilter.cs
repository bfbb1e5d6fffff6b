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

    /// <summary>FilterProtocol without a provider name: the harness's own flags (filter->proto_flags).</summary>
    public FilterProtocolFlags ProtocolFlags { get; set; }

    /// <summary>FilterTrace's level (filter->debug): 1 logs each brigade the harness sees at debug.</summary>
    public int TraceLevel { get; set; }
}

/// <summary>A provider of a smart filter: the real filter (DEFLATE) and when it runs, an ap_expr or a list of media types.</summary>
public sealed record FilterProvider(string FilterName, ConfigExpression? Condition, string? MediaType)
{
    /// <summary>
    /// FilterProtocol with this provider's name (provider->frec->proto_flags). Apache writes them
    /// on the provider's filter record, shared by every smart filter that uses it; Pluma keeps
    /// them with the smart filter whose FilterProtocol names them.
    /// </summary>
    public FilterProtocolFlags ProtocolFlags { get; set; }
}
