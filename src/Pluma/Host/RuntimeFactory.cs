using Pluma.CompiledModules;
using Pluma.Connections;
using Pluma.Connections.Diagnostics;
using Pluma.Http;
using Pluma.Modules.Hosting;
using Pluma.Modules.Pipeline;

namespace Pluma.Host;

/// <summary>Builds what serves requests in a process from one configuration reading.</summary>
internal static class RuntimeFactory
{
    public static ServerInfo Info(ConfigSession session) => new()
    {
        Version = ProductInfo.Banner(null),
        Banner = ProductInfo.Banner(session.MainCore.Main.ServerTokens),
        MpmName = session.MpmName,
        Built = new Lazy<string>(() => ProductInfo.Built),
    };

    /// <summary>The runtime (modules, servers, logs) and the HTTP connection handler over it.</summary>
    public static (ServerRuntime Runtime, IConnectionHandler Handler) Build(ConfigSession session, ErrorLogSet logs, Func<Scoreboard.ScoreboardSnapshot?>? scoreboard = null)
    {
        ServerRuntime runtime = ServerRuntimeBuilder.Build(session.Config, ModuleCatalog.All, logs, Info(session), scoreboard);

        var pipeline = new RequestPipeline(runtime);
        HttpServerOptions options = HttpOptionsFactory.Create(runtime);
        var http = new HttpConnectionHandler(pipeline, options, runtime.ErrorLog);
        return (runtime, Modules.RemoteIp.RemoteIpStartup.Wrap(Modules.Ssl.SslStartup.Wrap(http, runtime), options, runtime));
    }
}
