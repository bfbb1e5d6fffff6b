using System.Globalization;
using Pluma.Config;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Hosting;
using Pluma.Modules.Proxy;

namespace Pluma.Modules.ProxyFcgi;

/// <summary>
/// mod_proxy_fcgi: the scheme handler for fcgi:// backends, over TCP ("fcgi://127.0.0.1:9000/")
/// or a unix socket ("unix:/run/php/php8.2-fpm.sock|fcgi://localhost"), reached by ProxyPass,
/// ProxyPassMatch or a "proxy:" SetHandler. The request becomes FastCGI records
/// (<see cref="FcgiExchange"/>); the answer goes through the CGI header parser mod_cgi uses.
/// </summary>
public static class ProxyFcgiModule
{
    public const string Name = "proxy_fcgi_module";

    public static ModuleDescriptor Descriptor { get; } = new(Name, "mod_proxy_fcgi.c", FcgiDirectives.All())
    {
        CreateDirConfig = _ => new FcgiDirConfig(),
        MergeDirConfig = (b, a) => FcgiDirConfig.Merge((FcgiDirConfig)b, (FcgiDirConfig)a),
    };

    public static HttpModule Create() => new(Descriptor) { Handler = Handle };

    private static readonly FcgiDirConfig s_emptyDir = new();

    private static int Handle(RequestRecord r)
    {
        string? url = ProxyRequest.UrlFor(r, "fcgi");
        if (url is null)
        {
            return HookResult.Declined;
        }

        // proxy_fcgi_canon: "proxy:fcgi://host[:port]/path" (the port only when not 8000), the
        // path re-encoded unless nocanon; a unix socket's "unix:...|" part is not in it.
        if (!ProxyUrl.TryParse(url, out _, out _, out string host, out int port, out string path))
        {
            r.Server.ErrorLog.Write(LogLevel.Error, "proxy_fcgi", "AH01059: error parsing URL " + url + ": invalid URL", LogClient.Of(r));
            return 400;
        }

        string pathPart = path.StartsWith('/') ? path[1..] : path;
        bool raw = r.Notes.ContainsKey("proxy-nocanon");
        string canonPath = raw ? pathPart : ProxyUrl.EncodePath(pathPart);
        string filename = "proxy:fcgi://" + (host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? "[" + host + "]" : host)
            + (port != ProxyWorker.DefaultPort("fcgi") ? ":" + port.ToString(CultureInfo.InvariantCulture) : string.Empty) + "/" + canonPath;
        if (r.HasEnvironment && r.Environment.TryGetValue("proxy-fcgi-pathinfo", out string? pathInfoType))
        {
            int rc = ApplyPathInfo(r, pathInfoType, ref filename, canonPath);
            if (rc != HookResult.Ok)
            {
                return rc;
            }
        }

        ProxyTarget? target = ProxyRequest.Resolve(r, url);
        if (target is null)
        {
            return 400;
        }

        FcgiDirConfig d = r.DirConfig.Get<FcgiDirConfig>(Descriptor) ?? s_emptyDir;
        return FcgiExchange.Run(r, target.Worker, d, filename);
    }

    // proxy-fcgi-pathinfo (an environment variable set by SetEnvIf): where PATH_INFO comes from.
    private static int ApplyPathInfo(RequestRecord r, string type, ref string filename, string canonPath)
    {
        if (type.Equals("full", StringComparison.OrdinalIgnoreCase))
        {
            // Apache walks the backend's file system path as if it were local; Pluma does not.
            r.Server.ErrorLog.Write(LogLevel.Error, "proxy_fcgi", "PL00371: proxy-fcgi-pathinfo=full is not built in Pluma; the request is refused rather than sent without its PATH_INFO", LogClient.Of(r));
            return 500;
        }

        bool first = type.Equals("first-dot", StringComparison.OrdinalIgnoreCase);
        if (first || type.Equals("last-dot", StringComparison.OrdinalIgnoreCase))
        {
            int dot = first ? canonPath.IndexOf('.', StringComparison.Ordinal) : canonPath.LastIndexOf('.');
            int slash = dot < 0 ? -1 : canonPath.IndexOf('/', dot);
            if (slash >= 0)
            {
                r.PathInfo = Unescape(canonPath[slash..]);
                filename = filename[..(filename.Length - (canonPath.Length - slash))];
            }

            return HookResult.Ok;
        }

        // Any other value: the whole path is PATH_INFO (the backend works out the rest).
        string info = "/" + canonPath;
        r.PathInfo = type.Equals("unescape", StringComparison.OrdinalIgnoreCase) ? Unescape(info) : info;
        return HookResult.Ok;
    }

    // ap_unescape_url_keep2f: %2F stays encoded.
    private static string Unescape(string s) =>
        Uri.UnescapeDataString(s.Replace("%2F", "%252F", StringComparison.Ordinal).Replace("%2f", "%252f", StringComparison.Ordinal));
}
