using System.Globalization;
using Pluma.Connections;
using Pluma.Connections.Diagnostics;
using Pluma.Mpm.Common;
using Pluma.Transport;

namespace Pluma.Mpm;

/// <summary>
/// The child side of the MPM (above the three MPM folders: it reads which one it is). The host, re-executed by the parent as "child of slot S,
/// generation G", checks <see cref="IsChildProcess"/>, builds its connection handler from the
/// configuration and calls <see cref="Run"/>, which serves until the child must exit and
/// returns the process exit code.
/// </summary>
public static class MpmChild
{
    /// <summary>This process was started by an MPM parent as a child.</summary>
    public static bool IsChildProcess => Environment.GetEnvironmentVariable(ChildEnvironment.Slot) is not null;

    /// <summary>The MPM settings the parent passed (the child must not re-derive them).</summary>
    public static MpmSettings Settings =>
        MpmDefinitions.ReadChildSettings(Environment.GetEnvironmentVariable(ChildEnvironment.Settings)
            ?? throw new InvalidOperationException("not an MPM child"));

    /// <summary>The scoreboard of this child (mod_status reads it through <see cref="Scoreboard.Scoreboard.Snapshot"/>).</summary>
    public static Scoreboard.Scoreboard? Scoreboard { get; private set; }

    /// <summary>Runs this child process; returns its exit code.</summary>
    /// <param name="dropPrivileges">
    /// Called once the child holds what it needs from its privileged parent (the scoreboard,
    /// the listeners), as Apache's children switch to User/Group only after reattaching the
    /// scoreboard; returns null or the error that makes the child give up. A child that cannot
    /// drop privileges exits with APEXIT_CHILDFATAL, so the parent stops the server (AH00050)
    /// rather than serve, or respawn children that would serve, as root.
    /// </param>
    public static int Run(IConnectionHandler handler, IErrorLog log, Func<string?>? dropPrivileges = null)
    {
        string Env(string name) => Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException($"{name} is not set: not an MPM child");
        int slot = int.Parse(Env(ChildEnvironment.Slot), CultureInfo.InvariantCulture);
        int generation = int.Parse(Env(ChildEnvironment.Generation), CultureInfo.InvariantCulture);
        MpmSettings settings = MpmDefinitions.ReadChildSettings(Env(ChildEnvironment.Settings));
        using var board = global::Pluma.Scoreboard.Scoreboard.Open(Env(ChildEnvironment.ScoreboardPath));
        Scoreboard = board;
        var context = new ChildContext
        {
            Slot = slot,
            Generation = generation,
            Bucket = int.Parse(Environment.GetEnvironmentVariable(ChildEnvironment.Bucket) ?? "0", CultureInfo.InvariantCulture),
            Settings = settings,
            Board = board,
            Listeners = ListenerSet.Adopt(Env(ChildEnvironment.Listeners)),
            Pod = InheritablePipe.AdoptReadEnd(Env(ChildEnvironment.PipeOfDeath)),
            Handler = handler,
            Log = log,
        };
        string? dropped = dropPrivileges?.Invoke();
        if (dropped is not null)
        {
            log.Write(LogLevel.Alert, "unixd", dropped);
            return ExitChildFatal;
        }

        return Create(context).Run();
    }

    // Apache's APEXIT_CHILDFATAL (httpd.h): prefork's and event's child_main exit with it when
    // ap_run_drop_privileges fails; the parent then shuts the whole server down.
    private const int ExitChildFatal = 15;

    internal static ChildBase Create(ChildContext context) => context.Settings.Definition.CreateChild(context);
}
