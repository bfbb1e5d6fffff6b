using Pluma.Http;

namespace Pluma.Modules.ReqTimeout;

/// <summary>
/// mod_reqtimeout's per-server record: one stage per RequestReadTimeout key; null when not
/// configured (the host then uses <see cref="ReqTimeoutDefaults"/>). Zero Initial disables a stage.
/// </summary>
public sealed class ReqTimeoutServerConfig
{
    public RequestReadTimeout? Handshake { get; set; }

    public RequestReadTimeout? Header { get; set; }

    public RequestReadTimeout? Body { get; set; }

    /// <summary>The header stage in force: configured or Apache's default.</summary>
    public RequestReadTimeout EffectiveHeader => Header ?? ReqTimeoutDefaults.Header;

    /// <summary>The body stage in force: configured or Apache's default.</summary>
    public RequestReadTimeout EffectiveBody => Body ?? ReqTimeoutDefaults.Body;

    public static ReqTimeoutServerConfig Merge(ReqTimeoutServerConfig main, ReqTimeoutServerConfig vhost) => new()
    {
        Handshake = vhost.Handshake ?? main.Handshake,
        Header = vhost.Header ?? main.Header,
        Body = vhost.Body ?? main.Body,
    };
}
