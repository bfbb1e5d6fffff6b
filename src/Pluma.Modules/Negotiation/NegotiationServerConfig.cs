namespace Pluma.Modules.Negotiation;

/// <summary>mod_negotiation's per-server record: CacheNegotiatedDocs (HTTP/1.0 caches may keep negotiated answers).</summary>
public sealed class NegotiationServerConfig
{
    public bool CacheNegotiatedDocs { get; set; }

    public static NegotiationServerConfig Merge(NegotiationServerConfig main, NegotiationServerConfig vhost) =>
        new() { CacheNegotiatedDocs = vhost.CacheNegotiatedDocs };
}
