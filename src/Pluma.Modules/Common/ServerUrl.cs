using Pluma.Modules.Hosting;

namespace Pluma.Modules.Common;

/// <summary>
/// The host and port a self-referential URL names (server/core.c: ap_get_server_name_for_url,
/// ap_get_server_port, ap_construct_url): mod_alias, mod_dir, mod_autoindex and mod_status all
/// build their URLs and signatures from these.
/// </summary>
public static class ServerUrl
{
    /// <summary>The Host the client named (or the server's name) and its port (or the local port), as UseCanonicalName Off does.</summary>
    public static string ConstructUrl(RequestRecord r, string path) => SelfUrl.Construct(RequestHost(r), RequestPort(r), path, IsSecure(r));

    /// <summary>Whether the request came over TLS (mod_ssl's ssl_hook_http_scheme says "https").</summary>
    public static bool IsSecure(RequestRecord r) => r.Http.Connection.IsSecure;

    /// <summary>
    /// ap_get_server_name_for_url: with UseCanonicalName Off (the default) the Host the client
    /// sent, else ServerName; with On always ServerName.
    /// </summary>
    public static string RequestHost(RequestRecord r) =>
        IsCanonical(r) ? r.Server.ServerName : r.Request.Host ?? r.Server.ServerName;

    /// <summary>
    /// ap_get_server_port: with UseCanonicalName Off the Host's port, else the port of a virtual
    /// host's own ServerName (the scheme's default when it gives none), else the local port; with
    /// On the port given with ServerName, else the server's own.
    /// </summary>
    public static int RequestPort(RequestRecord r) =>
        IsCanonical(r) ? r.Server.Core.ServerNamePort ?? r.Server.Port
        : r.Request.HostPort != 0 ? r.Request.HostPort
        : r.Server.NamedPort is int named ? (named != 0 ? named : IsSecure(r) ? 443 : 80)
        : r.Request.LocalEndPoint.Port;

    private static bool IsCanonical(RequestRecord r) => string.Equals(r.Server.Core.UseCanonicalName, "on", StringComparison.OrdinalIgnoreCase);
}
