using System.Net;
using Pluma.Config;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.RemoteIp;

/// <summary>
/// mod_remoteip: behind a load balancer, the client's address comes from a proxy's header
/// (RemoteIPHeader, post_read_request, first) or from the PROXY protocol at the start of the
/// connection (RemoteIPProxyProtocol, <see cref="ProxyProtocolConnectionHandler"/>). The
/// address then counts for Require ip, %a and %h, REMOTE_ADDR and X-Forwarded-For, while %{c}a
/// keeps the connection's peer.
/// </summary>
public static class RemoteIpModule
{
    public const string Name = "remoteip_module";

    public static ModuleDescriptor Descriptor { get; } = new(Name, "mod_remoteip.c", RemoteIpDirectives.All())
    {
        CreateServerConfig = () => new RemoteIpServerConfig(),
        MergeServerConfig = (b, a) => RemoteIpServerConfig.Merge((RemoteIpServerConfig)b, (RemoteIpServerConfig)a),
    };

    public static HttpModule Create() => new(Descriptor)
    {
        PostReadRequest = ModifyRequest,
    };

    // remoteip_modify_request
    private static int ModifyRequest(RequestRecord r)
    {
        if (r.Server.Config.ModuleConfig.Get<RemoteIpServerConfig>(Descriptor) is not { HeaderName: { } header } conf)
        {
            return HookResult.Declined;
        }

        // A client named by the PROXY protocol takes precedence over any header.
        if (r.Http.Connection is ProxiedConnection)
        {
            return HookResult.Ok;
        }

        // Apache reads the header from headers_in, where fields of one name were merged with ", ".
        string? value = r.Request.Headers.GetCombined(header);
        if (value is null)
        {
            return HookResult.Ok;
        }

        RemoteIpResult result = RemoteIpResolver.Resolve(header, value, r.Request.RemoteEndPoint.Address, conf.Proxies);
        if (result.Refusal is not null && r.Server.ErrorLog.IsEnabled(LogLevel.Debug, "remoteip"))
        {
            r.Server.ErrorLog.Write(LogLevel.Debug, "remoteip", result.Refusal, LogClient.Of(r));
        }

        if (result.Client is not { } client)
        {
            return HookResult.Ok;
        }

        if (result.Remaining is not null)
        {
            r.Request.Headers.Set(header, result.Remaining);
        }
        else
        {
            r.Request.Headers.Remove(header);
        }

        if (result.ProxyIps is not null)
        {
            r.Notes["remoteip-proxy-ip-list"] = result.ProxyIps;
            if (conf.ProxiesHeaderName is { } proxiesHeader)
            {
                r.Request.Headers.Set(proxiesHeader, result.ProxyIps);
            }
        }

        // The client's port is not known: 0 rather than the proxy's.
        r.Request.SetUseragent(new IPEndPoint(client, 0));
        if (r.Server.ErrorLog.IsEnabled(LogLevel.Trace1, "remoteip"))
        {
            r.Server.ErrorLog.Write(LogLevel.Trace1, "remoteip",
                result.ProxyIps is not null ? "Using " + client + " as client's IP by proxies " + result.ProxyIps : "Using " + client + " as client's IP by internal proxies", LogClient.Of(r));
        }

        return HookResult.Ok;
    }
}
