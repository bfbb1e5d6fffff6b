using Pluma.Config;
using Pluma.Http;
using Pluma.Modules.Core;
using Pluma.Modules.Hosting;
using Pluma.Modules.ReqTimeout;

namespace Pluma.Host;

/// <summary>
/// Maps core's and mod_reqtimeout's settings of the main server to the HTTP engine's options
/// (the engine knows no configuration). Defaults are Apache's compiled ones.
/// </summary>
internal static class HttpOptionsFactory
{
    public static HttpServerOptions Create(ServerRuntime runtime)
    {
        CoreServerConfig core = runtime.MainServer.Core;
        ModuleDescriptor? reqtimeout = null;
        foreach (HttpModule m in runtime.Modules)
        {
            if (m.Name == "reqtimeout_module")
            {
                reqtimeout = m.Descriptor;
            }
        }

        var rt = reqtimeout is null ? null : runtime.MainServer.Config.ModuleConfig.Get<ReqTimeoutServerConfig>(reqtimeout);
        var defaults = new HttpServerOptions();
        (bool strict, bool registeredMethods, bool allowHttp09) = ConnectionServers.ProtocolOptions(runtime.Config);
        return defaults with
        {
            LimitRequestLine = core.LimitRequestLine ?? defaults.LimitRequestLine,
            LimitRequestFieldSize = core.LimitRequestFieldSize ?? defaults.LimitRequestFieldSize,
            LimitRequestFields = core.LimitRequestFields ?? defaults.LimitRequestFields,
            // Apache's compiled Timeout is 60 s (Debian's apache2.conf sets 300).
            Timeout = core.Timeout ?? TimeSpan.FromSeconds(60),
            KeepAlive = core.KeepAlive ?? true,
            KeepAliveTimeout = core.KeepAliveTimeout ?? TimeSpan.FromSeconds(5),
            MaxKeepAliveRequests = core.MaxKeepAliveRequests ?? 100,
            // Without mod_reqtimeout there is no header/body deadline beyond Timeout.
            HeaderReadTimeout = rt is null ? new RequestReadTimeout(TimeSpan.Zero, TimeSpan.Zero, 0) : rt.EffectiveHeader,
            BodyReadTimeout = rt is null ? new RequestReadTimeout(TimeSpan.Zero, TimeSpan.Zero, 0) : rt.EffectiveBody,
            StrictProtocol = strict,
            RegisteredMethodsOnly = registeredMethods,
            AllowHttp09 = allowHttp09,
            TraceEnable = !string.Equals(core.TraceEnable, "off", StringComparison.OrdinalIgnoreCase),
            ServerBanner = runtime.Info.Banner,
            Http2 = Http2Options(runtime),
            Http2Direct = Modules.Http2.Http2Module.DirectFor(runtime, runtime.MainServer),
            Http2DirectAt = Http2DirectAt(runtime),
            Identity = new ServerIdentity
            {
                ServerName = runtime.MainServer.ServerName,
                Port = runtime.MainServer.Port,
                ServerAdmin = core.ServerAdmin ?? "[no address given]",
                Banner = runtime.Info.Banner,
            },
        };
    }

    /// <summary>
    /// The HTTP/2 engine's options: the main server's, or, where its Protocols leaves h2 and h2c
    /// out, those of the first virtual host that lists one (the engine runs only where a server
    /// allows it: ALPN, H2Direct and Upgrade each ask their own server).
    /// </summary>
    private static Pluma.Http.Http2.Http2Options? Http2Options(ServerRuntime runtime)
    {
        Pluma.Http.Http2.Http2Options? options = Modules.Http2.Http2Module.OptionsFor(runtime, runtime.MainServer);
        foreach (VirtualServer vhost in runtime.VirtualHosts)
        {
            options ??= Modules.Http2.Http2Module.OptionsFor(runtime, vhost);
        }

        return options;
    }

    /// <summary>
    /// H2Direct per connection as mod_http2 decides it (h2_allows_h2_direct on the connection's
    /// base server): the server that the local address and port select among the IP-based
    /// virtual hosts, before any Host header is read. Null when every server agrees with the main one.
    /// </summary>
    private static Func<System.Net.IPEndPoint, bool>? Http2DirectAt(ServerRuntime runtime)
    {
        bool main = Modules.Http2.Http2Module.DirectFor(runtime, runtime.MainServer);
        bool differs = false;
        foreach (VirtualServer vhost in runtime.VirtualHosts)
        {
            differs |= Modules.Http2.Http2Module.DirectFor(runtime, vhost) != main;
        }

        if (!differs)
        {
            return null;
        }

        var hosts = new VirtualHostTable(runtime.MainServer, runtime.VirtualHosts);
        return local => Modules.Http2.Http2Module.DirectFor(runtime, hosts.Select(local, null));
    }
}
