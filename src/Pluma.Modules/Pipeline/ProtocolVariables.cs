using Pluma.Modules.Hosting;

namespace Pluma.Modules.Pipeline;

/// <summary>
/// The request environment variables that change how the response goes out, read where Apache
/// reads them: "nokeepalive" (http_protocol.c ap_set_keepalive, ignored when the request came
/// through a proxy that sent Via), "downgrade-1.0" and "force-response-1.0" (http_filters.c
/// basic_http_header_check). Usually set by BrowserMatch (mod_setenvif) or SetEnv (mod_env).
/// </summary>
internal static class ProtocolVariables
{
    /// <summary>Hands the variables of <paramref name="r"/> to the HTTP engine; costs one field test when there are none.</summary>
    public static void Apply(RequestRecord r)
    {
        if (!r.HasEnvironment)
        {
            return;
        }

        var env = r.Environment;
        if (env.ContainsKey("nokeepalive") && !r.Request.Headers.Contains("Via"))
        {
            r.Http.KeepAlive = false;
        }

        if (env.ContainsKey("downgrade-1.0"))
        {
            r.Http.DowngradeToHttp10 = true;
        }

        if (env.ContainsKey("force-response-1.0"))
        {
            r.Http.ForceResponseHttp10 = true;
        }
    }
}
