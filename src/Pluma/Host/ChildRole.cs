using System.IO;
using Pluma.Config;
using Pluma.Connections;
using Pluma.Modules.Core;
using Pluma.Modules.Hosting;
using Pluma.Mpm;
using Pluma.Mpm.Common;
using Pluma.Mpm.Event;
using Pluma.Mpm.Prefork;
using Pluma.Mpm.Worker;

namespace Pluma.Host;

/// <summary>
/// A child process of the MPM: exec'd from this same binary by the parent with the same command
/// line, it reads the configuration of its generation, builds the request path, drops to
/// User/Group and serves on the inherited listeners until the parent tells it to stop.
/// </summary>
internal static class ChildRole
{
    // Apache's APEXIT_CHILDSICK: the parent slows down spawning instead of looping on failures.
    private const int ExitChildSick = 7;

    public static int Run(CommandLineOptions options, string serverRoot)
    {
        ConfigSession session;
        try
        {
            session = ConfigSession.LoadForChild(options, serverRoot, MpmChild.Settings, ConfigSnapshotHandoff.ReadInChild());
        }
        catch (IOException e)
        {
            Console.Error.WriteLine(e.Message);
            return ExitChildSick;
        }
        catch (ConfigException e)
        {
            PlumaMain.WriteLoggedBefore(e);
            Console.Error.WriteLine(e.Format("pluma"));
            return ExitChildSick;
        }
        catch (MpmException e)
        {
            Console.Error.WriteLine("AH00534: pluma: Configuration error: " + e.Message);
            return ExitChildSick;
        }

        // Before the runtime is built: mod_mime's post_config then finds the parent's table.
        MimeTypesHandoff.AdoptInChild();
        using var logs = new ErrorLogSet(session.Config.ServerRoot);
        (ServerRuntime runtime, IConnectionHandler handler) = RuntimeFactory.Build(session, logs, () => MpmChild.Scoreboard?.Snapshot());
        MainServerSettings main = session.MainCore.Main;
        ReleaseStartupGarbage();
        try
        {
            return MpmChild.Run(handler, runtime.ErrorLog, () => Native.DropPrivileges(main.User, main.UserId, main.GroupId));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // A child that cannot start is reported, not aborted: the parent counts it as sick.
            runtime.ErrorLog.Write(Connections.Diagnostics.LogLevel.Alert, "core", "PL00009: child could not start: " + e.Message);
            return ExitChildSick;
        }
    }

    /// <summary>
    /// What the child allocated to get ready (its generation's configuration read from the
    /// snapshot, module tables, the request path) is mostly garbage once it serves, but the GC
    /// has no reason to run before the first allocation budget is spent: the pages stay
    /// committed and, since children are exec'd rather than forked, private to each child
    /// (Apache's forked children share the parent's pool pages instead). One full compacting
    /// collection in aggressive mode keeps the survivors and gives the rest back to the kernel:
    /// about 1 MiB less per child (bench/RESULTS.md, "Memory").
    /// </summary>
    private static void ReleaseStartupGarbage() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
