using Pluma.Config;
using Pluma.Modules.Hosting;
using Pluma.Modules.Proxy;

namespace Pluma.Modules.ProxyHttp;

/// <summary>
/// mod_proxy_http: the scheme handler for http:// backends (HTTP/1.1 with pooled keep-alive
/// connections, <see cref="HttpExchange"/>). https:// backends need mod_ssl's proxy half, which
/// Pluma does not build: such a request is refused with a log line, never sent in clear.
/// </summary>
public static class ProxyHttpModule
{
    public const string Name = "proxy_http_module";

    public static HttpModule Create()
    {
        var descriptor = new ModuleDescriptor(Name, "mod_proxy_http.c", []);
        return new HttpModule(descriptor) { Handler = Handle };
    }

    private static int Handle(RequestRecord r)
    {
        string? url = ProxyRequest.UrlFor(r, "http");
        if (url is null)
        {
            return HookResult.Declined;
        }

        ProxyTarget? target = ProxyRequest.Resolve(r, url);
        if (target is null)
        {
            return 400;
        }

        return HttpExchange.Run(r, target);
    }
}
