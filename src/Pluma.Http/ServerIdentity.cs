namespace Pluma.Http;

/// <summary>
/// What an error page says about the server (ap_psignature): the application may replace the
/// connection's default per virtual host through <see cref="HttpContext.Identity"/>.
/// </summary>
public sealed record ServerIdentity
{
    /// <summary>ServerName; used when the request carried no usable Host.</summary>
    public string ServerName { get; init; } = "localhost";

    /// <summary>The port in ServerName, 0 when none (Apache then prints the default port 80).</summary>
    public int Port { get; init; }

    /// <summary>ServerAdmin, for ServerSignature EMail and the 500 page.</summary>
    public string ServerAdmin { get; init; } = "webmaster@localhost";

    /// <summary>ServerSignature; Debian's conf-available/security.conf sets On.</summary>
    public ServerSignature Signature { get; init; } = ServerSignature.On;

    /// <summary>The banner in the footer (ap_get_server_banner, same text as the Server header).</summary>
    public string Banner { get; init; } = "Apache/2.4.71 (Debian)";
}
