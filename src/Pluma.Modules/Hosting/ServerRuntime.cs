using System.Collections.Generic;
using Pluma.Config;
using Pluma.Connections.Diagnostics;
using Pluma.Scoreboard;

namespace Pluma.Modules.Hosting;

/// <summary>
/// Everything the request path needs from one loaded configuration (one generation): the loaded
/// modules in order, the servers, the main error log, and live server state for mod_status.
/// Built once per process per configuration load; read-only afterwards and shared by all worker
/// threads.
/// </summary>
public sealed class ServerRuntime
{
    private readonly Dictionary<string, HttpModule> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HttpModule> _byFilter = new(StringComparer.OrdinalIgnoreCase);

    public ServerRuntime(LoadedConfig config, IReadOnlyList<HttpModule> modules, VirtualServer mainServer,
        IReadOnlyList<VirtualServer> virtualHosts, IErrorLog errorLog, ServerInfo info)
    {
        Config = config;
        Modules = modules;
        MainServer = mainServer;
        VirtualHosts = virtualHosts;
        ErrorLog = errorLog;
        Info = info;
        Access = new AccessHooks(modules);
        foreach (HttpModule m in modules)
        {
            _byName[m.Name] = m;
            if (m.OutputFilterName is { } filter)
            {
                _byFilter[filter] = m;
            }
        }
    }

    public LoadedConfig Config { get; }

    /// <summary>The loaded modules in load order.</summary>
    public IReadOnlyList<HttpModule> Modules { get; }

    /// <summary>The access phase's hooks, chosen once from <see cref="Modules"/>.</summary>
    internal AccessHooks Access { get; }

    public VirtualServer MainServer { get; }

    public IReadOnlyList<VirtualServer> VirtualHosts { get; }

    public IErrorLog ErrorLog { get; }

    public ServerInfo Info { get; }

    /// <summary>Reads the live scoreboard (null under tests and before the MPM runs).</summary>
    public Func<ScoreboardSnapshot?> Scoreboard { get; init; } = () => null;

    /// <summary>When the server (not this generation) started, for mod_status's RestartTime.</summary>
    public DateTimeOffset StartTime { get; init; } = DateTimeOffset.Now;

    /// <summary>The loaded module named <paramref name="name"/> (<c>mime_module</c>), or null.</summary>
    public HttpModule? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The loaded module that registered the output filter <paramref name="filterName"/> (DEFLATE), or null.</summary>
    public HttpModule? FindOutputFilter(string filterName) => _byFilter.GetValueOrDefault(filterName);
}
