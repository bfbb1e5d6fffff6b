using System.Collections.Generic;
using System.Globalization;
using Pluma.Config;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Core;

namespace Pluma.Modules.Hosting;

/// <summary>
/// Turns a loaded configuration into the servers requests are matched against (vhost.c's
/// fixup work): names, ports, addresses and error logs of the main server and each vhost.
/// </summary>
public static class ServerRuntimeBuilder
{
    /// <summary>The ServerName Apache falls back to when none is set and none can be guessed (AH00558).</summary>
    public const string FallbackServerName = "127.0.0.1";

    /// <param name="scoreboard">Reads the live scoreboard for mod_status; null where there is none (tests).</param>
    public static ServerRuntime Build(LoadedConfig config, IReadOnlyList<HttpModule> catalog, ErrorLogSet logs, ServerInfo info, Func<Scoreboard.ScoreboardSnapshot?>? scoreboard = null)
    {
        var loaded = new List<HttpModule>();
        foreach (ModuleDescriptor d in config.Modules)
        {
            foreach (HttpModule m in catalog)
            {
                if (m.Descriptor == d)
                {
                    loaded.Add(m);
                }
            }
        }

        CoreServerConfig mainCore = Core(config.MainServer);
        int mainPort = mainCore.ServerNamePort ?? (mainCore.Main.Listen.Count > 0 ? mainCore.Main.Listen[0].Port : 80);
        string mainName = mainCore.ServerName ?? FallbackServerName;
        IErrorLog mainLog = logs.Open(mainCore.ErrorLog ?? "logs/error_log", mainCore.LogLevel, mainCore.ModuleLogLevels);
        var main = new VirtualServer(config.MainServer, mainName, mainPort, [], [], mainLog);

        var hosts = new List<VirtualServer>();
        foreach (ServerConfig vh in config.VirtualHosts)
        {
            CoreServerConfig core = Core(vh);
            var addresses = new List<VirtualHostAddress>();
            foreach (string a in vh.Addresses)
            {
                addresses.Add(VirtualHostAddress.Parse(a));
            }

            int port = core.ServerNamePort ?? (addresses.Count > 0 && addresses[0].Port is int p ? p : mainPort);
            // A vhost without ServerName takes the main server's (Apache's fixup_virtual_hosts).
            string name = core.ServerName ?? mainName;
            IErrorLog log = core.ErrorLog is null || core.ErrorLog == mainCore.ErrorLog && core.LogLevel == mainCore.LogLevel
                ? mainLog
                : logs.Open(core.ErrorLog, core.LogLevel, core.ModuleLogLevels);
            hosts.Add(new VirtualServer(vh, name, port, addresses, core.ServerAliases, log)
            {
                // httpd appends a vhost's sections to the main server's (ap_fixup_virtual_hosts).
                NamedPort = core.OwnServerName ? core.ServerNamePort ?? 0 : null,
                DirectoryWalk = DirectoryWalkPlan.Build(vh.DirDefaults, [.. config.MainServer.Sections, .. vh.Sections], core.AccessFileNames),
            });
        }

        var runtime = new ServerRuntime(config, loaded, main, hosts, mainLog, info) { Scoreboard = scoreboard ?? (() => null) };
        foreach (HttpModule m in loaded)
        {
            m.Initialize?.Invoke(runtime);
        }

        return runtime;
    }

    /// <summary>Whether the configuration named a ServerName for the main server (else AH00558 at start-up).</summary>
    public static bool HasServerName(LoadedConfig config) => Core(config.MainServer).ServerName is not null;

    /// <summary>Apache's AH00558 text for <paramref name="program"/> (apache2, pluma).</summary>
    public static string ServerNameWarning(string program) =>
        "AH00558: " + program + ": Could not reliably determine the server's fully qualified domain name, using "
        + FallbackServerName + ". Set the 'ServerName' directive globally to suppress this message";

    private static CoreServerConfig Core(ServerConfig s) =>
        s.ModuleConfig.Get<CoreServerConfig>(CoreModule.Descriptor) ?? new CoreServerConfig();

    internal static string PortText(int port) => port.ToString(CultureInfo.InvariantCulture);
}
