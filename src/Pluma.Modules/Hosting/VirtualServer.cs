using System.Collections.Generic;
using Pluma.Config;
using Pluma.Connections.Diagnostics;

namespace Pluma.Modules.Hosting;

/// <summary>
/// A server as requests see it (Apache's server_rec): the main server or one
/// &lt;VirtualHost&gt;, with its configuration and the names and addresses it answers for.
/// </summary>
public sealed class VirtualServer
{
    public VirtualServer(ServerConfig config, string serverName, int port, IReadOnlyList<VirtualHostAddress> addresses, IReadOnlyList<string> aliases, IErrorLog errorLog)
    {
        Config = config;
        ServerName = serverName;
        Port = port;
        Addresses = addresses;
        Aliases = aliases;
        ErrorLog = errorLog;
    }

    public ServerConfig Config { get; }

    /// <summary>core's per-server record (merged over the main server's for a vhost).</summary>
    public Core.CoreServerConfig Core => _core ??= Config.ModuleConfig.Get<Core.CoreServerConfig>(Modules.Core.CoreModule.Descriptor) ?? new Core.CoreServerConfig();

    // Looked up once: several phases ask for it on every request, and the configuration is read-only once loaded.
    private Core.CoreServerConfig? _core;

    /// <summary>
    /// What core's directory walk checks for this server (symlink options, access files). The
    /// runtime builder gives a virtual host the plan of the main server's sections and its own;
    /// a server built without one walks its own sections.
    /// </summary>
    public Modules.Core.DirectoryWalkPlan DirectoryWalk
    {
        get => _directoryWalk ??= Modules.Core.DirectoryWalkPlan.Build(Config.DirDefaults, Config.Sections, this.Core.AccessFileNames);
        init => _directoryWalk = value;
    }

    private Modules.Core.DirectoryWalkPlan? _directoryWalk;

    public bool IsVirtual => Config.IsVirtual;

    /// <summary>ServerName (without port), or the name Apache would have guessed.</summary>
    public string ServerName { get; }

    /// <summary>The port of ServerName, else of the first address, else 80 (%p with UseCanonicalName Off uses the local port).</summary>
    public int Port { get; }

    /// <summary>
    /// A virtual host's own ServerName port (Apache's s->port): 0 when its ServerName gives none,
    /// so self-referential URLs without a Host port use the scheme's default; null without an own
    /// ServerName (then the local port, as for the main server).
    /// </summary>
    public int? NamedPort { get; init; }

    public IReadOnlyList<VirtualHostAddress> Addresses { get; }

    public IReadOnlyList<string> Aliases { get; }

    /// <summary>The server's ErrorLog (a vhost without one shares the main server's).</summary>
    public IErrorLog ErrorLog { get; }

    /// <summary>Whether <paramref name="host"/> (lowercase, no port) is this server's ServerName or matches a ServerAlias.</summary>
    public bool AnswersTo(string host)
    {
        if (string.Equals(host, ServerName, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        for (int i = 0; i < Aliases.Count; i++)
        {
            if (Wildcard.Matches(Aliases[i], host))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => ServerName + ":" + Port;
}
