using System.Collections.Generic;
using Pluma.Config;
using Pluma.Mpm.Common;

namespace Pluma.Mpm.Worker;

/// <summary>worker as the rest of Pluma sees it (server/mpm/worker/worker.c): module, table, and what differs.</summary>
public sealed class WorkerDefinition : MpmDefinition<WorkerSettings>
{
    public static WorkerDefinition Instance { get; } = new();

    private WorkerDefinition()
    {
        Module = MpmDirectives.Module("mpm_worker_module", "worker.c", () => WorkerDirectives.Table, () => new WorkerSettings());
    }

    public override string Name => "worker";

    public override ModuleDescriptor Module { get; }

    public override MpmSettings CompiledDefaults => new WorkerSettings();

    internal override MpmSettings FromValues(IReadOnlyDictionary<string, string> values) => new WorkerSettings
    {
        ThreadLimit = ChildSettingsVariable.Int(values, "ThreadLimit"),
        ThreadsPerChild = ChildSettingsVariable.Int(values, "ThreadsPerChild"),
        MinSpareThreads = ChildSettingsVariable.Int(values, "MinSpareThreads"),
        MaxSpareThreads = ChildSettingsVariable.Int(values, "MaxSpareThreads"),
    };

    internal override ChildBase CreateChild(ChildContext context, WorkerSettings settings) => new WorkerChild(context, settings);

    internal override string ResumingNormalOperations(string serverDescription) => $"AH00292: {serverDescription} configured -- resuming normal operations";

    internal override string ServerBuilt(string built) => $"AH00293: Server built: {built}";

    internal override string CaughtSigterm => "AH00295: caught SIGTERM, shutting down";

    internal override string CaughtSigwinch => "AH00296: caught SIGWINCH, shutting down gracefully";

    internal override string SighupReceived => "AH00298: SIGHUP received.  Attempting to restart";

    internal override string Sigusr1Received => "AH00297: SIGUSR1 received.  Doing graceful restart";

    internal override string IgnoringFatalErrorOfPreviousGeneration(int pid) => $"AH00290: Ignoring fatal error in child of previous generation (pid {pid}).";

    internal override string? ChildrenKilledSuccessively => "AH10393: children are killed successively!";

    internal override bool StartsChildrenInAnySlot => false;

    internal override bool ReplacementKeepsBucket => false;

    internal override bool ParentMarksThreadsStarting => false;

    internal override bool SignalsChildrenOnGracefulRestart => false;

    /// <summary>
    /// 4 MiB: every collection stops all of a child's threads (ThreadsPerChild workers, the
    /// listener and the start thread), so a smaller budget costs latency, as measured for event.
    /// </summary>
    public override int ChildGen0BudgetBytes => 0x400000;

    internal override IEnumerable<(MaintenanceDecision Decision, int? Bucket)> PerformIdleServerMaintenance(
        Scoreboard.Scoreboard board, WorkerSettings settings, MaintenanceState state, int buckets) =>
        WorkerMaintenance.PerformIdleServerMaintenance(board, settings, state, buckets);
}
