using Pluma.Config;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Proxy;

/// <summary>
/// mod_proxy: ProxyPass/ProxyPassMatch map a URL-path to a backend in translate_name
/// (proxy_trans, after mod_rewrite, before mod_alias), &lt;Proxy&gt; sections apply in
/// map_to_storage (proxy_walk, instead of the directory walk), and the scheme modules
/// (proxy_http, proxy_fcgi) answer in the handler phase. A "proxy-server" request that no
/// scheme module took is Apache's AH01144 and 500.
/// </summary>
public static class ProxyModule
{
    public const string Name = "proxy_module";

    public const string HandlerName = "proxy-server";

    /// <summary>The module's descriptor (the scheme modules read its records).</summary>
    public static ModuleDescriptor Descriptor { get; } = new(Name, "mod_proxy.c", ProxyDirectives.All)
    {
        CreateServerConfig = () => new ProxyServerConfig(),
        MergeServerConfig = (b, a) => ProxyServerConfig.Merge((ProxyServerConfig)b, (ProxyServerConfig)a),
        CreateDirConfig = _ => new ProxyDirConfig(),
        MergeDirConfig = (b, a) => ProxyDirConfig.Merge((ProxyDirConfig)b, (ProxyDirConfig)a),
    };

    public static HttpModule Create() => new(Descriptor)
    {
        TranslateName = ProxyTrans,
        TranslateNameOrder = HttpModule.HookFirst + 1,
        MapToStorage = MapLocation,
        MapToStorageFirst = true,
        Fixups = ProxyRequest.FixupHandler,
        Handler = Handle,
        HandlerOrder = 1,
    };

    /// <summary>The server's mod_proxy record.</summary>
    public static ProxyServerConfig ServerConfig(RequestRecord r) =>
        r.Server.Config.ModuleConfig.Get<ProxyServerConfig>(Descriptor) ?? s_emptyServer;

    /// <summary>The request's merged mod_proxy directory record.</summary>
    public static ProxyDirConfig DirConfig(RequestRecord r) => r.DirConfig.Get<ProxyDirConfig>(Descriptor) ?? s_emptyDir;

    private static readonly ProxyServerConfig s_emptyServer = new();
    private static readonly ProxyDirConfig s_emptyDir = new();

    // proxy_trans / ap_proxy_trans_match: the first ProxyPass whose path matches wins; "!" stops the search.
    private static int ProxyTrans(RequestRecord r)
    {
        if (r.Uri.Length == 0 || r.Uri[0] != '/' || (r.Handler is not null && r.Handler.StartsWith("proxy:", StringComparison.Ordinal)))
        {
            return HookResult.Declined;
        }

        ProxyServerConfig conf = ServerConfig(r);
        foreach (ProxyPassEntry e in conf.Passes)
        {
            string? found = Match(r, e);
            if (found is null)
            {
                continue;
            }

            if (e.Url is null)
            {
                return HookResult.Declined; // ProxyPass /path ! : not proxied
            }

            r.Filename = "proxy:" + found;
            r.Handler = HandlerName;
            r.Notes["proxy-reverse"] = "1";
            if (e.NoCanon)
            {
                r.Notes["proxy-nocanon"] = "1";
            }

            if (e.NoQuery)
            {
                r.Notes["proxy-noquery"] = "1";
            }

            return HookResult.Ok;
        }

        return HookResult.Declined;
    }

    private static string? Match(RequestRecord r, ProxyPassEntry e)
    {
        bool noCanon = e.NoCanon;
        string uri = noCanon ? RawPath(r) : r.Uri;
        if (e.Regex is not null)
        {
            System.Text.RegularExpressions.Match m = e.Regex.Match(uri);
            if (!m.Success)
            {
                return null;
            }

            return e.Url is null ? string.Empty : m.Result(e.Url);
        }

        int len = ProxyUrl.AliasMatch(uri, e.Path);
        if (len == 0)
        {
            return null;
        }

        return e.Url is null ? string.Empty : e.Url + uri[len..];
    }

    private static string RawPath(RequestRecord r)
    {
        string raw = r.Request.RawTarget;
        int q = raw.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? raw : raw[..q];
    }

    // proxy_map_location: a proxied request has no file; its <Proxy> sections (and <Location>,
    // <If>) make its configuration, never <Directory> ones.
    private static int MapLocation(RequestRecord r)
    {
        string? file = r.Filename;
        if (file is null || !file.StartsWith("proxy:", StringComparison.Ordinal))
        {
            return HookResult.Declined;
        }

        ModuleConfigVector dir = r.Server.Config.WalkSections(null, false, r.Uri);
        string url = file[6..];
        foreach (ProxySection s in ServerConfig(r).Sections)
        {
            if (s.Matches(url))
            {
                dir = r.Server.Config.MergeDirConfig(dir, s.Config);
            }
        }

        r.DirConfig = dir;
        return HookResult.Ok;
    }

    // proxy_handler when no scheme handler took the request (AH01144).
    private static int Handle(RequestRecord r)
    {
        if (r.Handler != HandlerName || r.Filename is not { } file || !file.StartsWith("proxy:", StringComparison.Ordinal))
        {
            return HookResult.Declined;
        }

        string url = file[6..];
        string scheme = ProxyUrl.TryParse(url, out _, out string s, out _, out _, out _) ? s : url;
        r.Server.ErrorLog.Write(LogLevel.Warn, "proxy",
            "AH01144: No protocol handler was valid for the URL " + r.Uri + " (scheme '" + scheme + "'). If you are using a DSO version of mod_proxy, make sure the proxy submodules are included in the configuration using LoadModule.",
            LogClient.Of(r));
        return 500;
    }
}
