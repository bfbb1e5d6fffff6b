using System.Globalization;
using Pluma.Http;
using Pluma.Http.Protocol;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Expires;

/// <summary>
/// mod_expires' filter (expires_filter, set_expiration_fields) as a head hook: unless the
/// handler set Expires, the rule for the response's media type (then its type/*, then
/// ExpiresDefault) adds "Cache-Control: max-age=N" (merged) and "Expires". Error answers get
/// none, as Apache's error path has no MOD_EXPIRES filter. One per thread.
/// </summary>
internal sealed class ExpiresHook : ResponseHeadHook
{
    [ThreadStatic]
    private static ExpiresHook? t_hook;

    private RequestRecord? _request;
    private ExpiresDirConfig? _config;

    public static void AddTo(RequestRecord r, ExpiresDirConfig config)
    {
        ExpiresHook hook = t_hook ??= new ExpiresHook();
        hook._request = r;
        hook._config = config;
        if (!r.Response.HasHeadHook(hook))
        {
            r.Response.AddHeadHook(hook);
        }
    }

    public override void BeforeHead(HttpResponse response, bool errorResponse)
    {
        RequestRecord r = _request!;
        ExpiresDirConfig config = _config!;
        _request = null;
        _config = null;
        if (errorResponse || response.StatusCode >= 400 || response.Headers.IndexOf("Expires") >= 0)
        {
            return;
        }

        ExpiresCode? code = Lookup(config, response.ContentType ?? r.ContentType) ?? config.Default;
        if (code is not { } rule)
        {
            return;
        }

        DateTime requestTime = r.Http.StartTime;
        DateTime baseTime;
        if (rule.FromModification)
        {
            if (!r.FileInfo.Exists)
            {
                return; // no file, no modification time: Apache adds nothing (and logs nothing)
            }

            baseTime = r.FileInfo.LastWriteUtc;
        }
        else
        {
            baseTime = requestTime;
        }

        long requestSeconds = HttpDate.ToUnixSeconds(requestTime);
        long expires = HttpDate.ToUnixSeconds(baseTime) + rule.Seconds;
        if (expires < requestSeconds)
        {
            expires = requestSeconds;
        }

        string maxAge = "max-age=" + (expires - requestSeconds).ToString(CultureInfo.InvariantCulture);
        int i = response.Headers.IndexOf("Cache-Control");
        response.Headers.Set("Cache-Control", i < 0 ? maxAge : response.Headers.GetValue(i) + ", " + maxAge);
        response.Headers.Set("Expires", HttpDate.Format(DateTime.UnixEpoch.AddSeconds(expires)));
    }

    /// <summary>The media type without parameters, then its major type with "/*".</summary>
    private static ExpiresCode? Lookup(ExpiresDirConfig config, string? contentType)
    {
        if (contentType is null || config.ByType.Count == 0)
        {
            return null;
        }

        int semi = contentType.IndexOf(';', StringComparison.Ordinal);
        string type = (semi < 0 ? contentType : contentType[..semi]).Trim();
        if (config.ByType.TryGetValue(type, out ExpiresCode code))
        {
            return code;
        }

        int slash = type.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && config.ByType.TryGetValue(string.Concat(type.AsSpan(0, slash), "/*"), out code) ? code : null;
    }
}
