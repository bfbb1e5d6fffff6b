using Pluma.Connections;
using Pluma.Connections.Diagnostics;
using Pluma.Transport;

namespace Pluma.Mpm.Common;

/// <summary>What the host gives the parent (control process).</summary>
public sealed class MpmParentOptions
{
    /// <summary>The MPM settings after the startup check_config (the host printed its warnings).</summary>
    public required MpmSettings Settings { get; init; }

    /// <summary>The bound Listen sockets (<see cref="ListenerSet.Bind"/>); the parent closes them on stop.</summary>
    public required ListenerSet Listeners { get; init; }

    public required IErrorLog ErrorLog { get; init; }

    /// <summary>The scoreboard file (under the run directory, Apache's ScoreBoardFile idea).</summary>
    public required string ScoreboardPath { get; init; }

    /// <summary>The PidFile, or null for none.</summary>
    public string? PidFile { get; init; }

    /// <summary>The command that re-executes this program as "child of slot S, generation G".</summary>
    public required Func<int, int, ChildCommand> ChildCommand { get; init; }

    /// <summary>Re-reads the configuration on restart; null keeps the settings.</summary>
    public Func<MpmReloadResult>? Reload { get; init; }

    /// <summary>The server description of AH00489 (ServerTokens applied), e.g. <c>Apache/2.4.71 (Debian)</c>.</summary>
    public string ServerDescription { get; init; } = "Apache/2.4.71 (Debian)";

    /// <summary>When this program was built (the "Server built" of -V and of the start-up info line).</summary>
    public string ServerBuilt { get; init; } = string.Empty;

    /// <summary>The parent's command line, its arguments joined by spaces (AH00094 at each start and restart).</summary>
    public string CommandLine { get; init; } = string.Empty;

    /// <summary>-X / -D ONE_PROCESS: serve in this process, no children.</summary>
    public bool OneProcess { get; init; }

    /// <summary>The connection handler for <see cref="OneProcess"/> mode (built per generation).</summary>
    public Func<IConnectionHandler>? OneProcessHandler { get; init; }
}
