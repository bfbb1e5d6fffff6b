using System.Collections.Generic;

namespace Pluma.Modules.Core;

/// <summary>
/// AcceptFilter (core.c accf_map): the accept filter named for each Listen protocol. On Linux
/// there are no accept filters, only TCP_DEFER_ACCEPT (listen.c ap_apply_accept_filter without
/// APR_HAS_SO_ACCEPTFILTER), so every name but <c>none</c> ("data", "httpready", or anything
/// else, which Apache accepts unchecked) means the same: accept(2) returns a connection only
/// once the client has sent something.
/// </summary>
public sealed class AcceptFilterMap
{
    /// <summary>The filter name that turns the deferral off.</summary>
    public const string None = "none";

    // create_core_server_config on Linux: http and https default to "data"; other protocols
    // have no entry, so their listeners accept at once.
    private readonly Dictionary<string, string> _filters = new(System.StringComparer.Ordinal)
    {
        ["http"] = "data",
        ["https"] = "data",
    };

    /// <summary>set_accf_map: both words lower-cased, the last line for a protocol wins.</summary>
    public void Set(string protocol, string filter) =>
        _filters[protocol.ToLowerInvariant()] = filter.ToLowerInvariant();

    /// <summary>The filter for <paramref name="protocol"/> as configured; null when none is named.</summary>
    public string? Of(string protocol) =>
        _filters.TryGetValue(protocol.ToLowerInvariant(), out string? f) ? f : null;

    /// <summary>Whether a listener of <paramref name="listen"/>'s protocol gets TCP_DEFER_ACCEPT (find_accf_name).</summary>
    public bool DefersAccept(ListenDirective listen) =>
        Of(ProtocolOf(listen)) is string f && f != None;

    /// <summary>
    /// ap_set_listener: the protocol a Listen line names, lower-cased, or without one https for
    /// port 443 and http for any other port.
    /// </summary>
    public static string ProtocolOf(ListenDirective listen) =>
        listen.Protocol?.ToLowerInvariant() ?? (listen.Port == 443 ? "https" : "http");
}
