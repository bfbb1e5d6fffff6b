using System.Collections.Generic;
using System.Globalization;
using Pluma.Config;
using Pluma.Mpm.Common;

namespace Pluma.Mpm.Event;

/// <summary>event as the rest of Pluma sees it (server/mpm/event/event.c): module, table, and what differs.</summary>
public sealed class EventDefinition : MpmDefinition<EventSettings>
{
    public static EventDefinition Instance { get; } = new();

    private EventDefinition()
    {
        Module = MpmDirectives.Module("mpm_event_module", "event.c", () => EventDirectives.Table, () => new EventSettings());
    }

    public override string Name => "event";

    public override ModuleDescriptor Module { get; }

    public override MpmSettings CompiledDefaults => new EventSettings();

    internal override MpmSettings FromValues(IReadOnlyDictionary<string, string> values) => new EventSettings
    {
        ThreadLimit = ChildSettingsVariable.Int(values, "ThreadLimit"),
        ThreadsPerChild = ChildSettingsVariable.Int(values, "ThreadsPerChild"),
        MinSpareThreads = ChildSettingsVariable.Int(values, "MinSpareThreads"),
        MaxSpareThreads = ChildSettingsVariable.Int(values, "MaxSpareThreads"),
        AsyncRequestWorkerFactor = double.Parse(values["AsyncRequestWorkerFactor"], CultureInfo.InvariantCulture),
        KeepAliveOutsideAsyncLimit = values["KeepAliveOutsideAsyncLimit"] == "1",
    };

    internal override ChildBase CreateChild(ChildContext context, EventSettings settings) => new EventChild(context, settings);

    internal override string ResumingNormalOperations(string serverDescription) => $"AH00489: {serverDescription} configured -- resuming normal operations";

    internal override string ServerBuilt(string built) => $"AH00490: Server built: {built}";

    internal override string CaughtSigterm => "AH00491: caught SIGTERM, shutting down";

    internal override string CaughtSigwinch => "AH00492: caught SIGWINCH, shutting down gracefully";

    internal override string SighupReceived => "AH00494: SIGHUP received.  Attempting to restart";

    internal override string Sigusr1Received => "AH00493: SIGUSR1 received.  Doing graceful restart";

    internal override string IgnoringFatalErrorOfPreviousGeneration(int pid) => $"AH00487: Ignoring fatal error in child of previous generation (pid {pid}).";

    internal override string? ChildrenKilledSuccessively => "AH10392: children are killed successively!";

    internal override bool StartsChildrenInAnySlot => true;

    internal override bool ReplacementKeepsBucket => true;

    internal override bool ParentMarksThreadsStarting => true;

    internal override bool SignalsChildrenOnGracefulRestart => false;

    /// <summary>
    /// 4 MiB: every collection stops all of a child's threads (ThreadsPerChild workers and the
    /// listener); with 2 MiB collections came often enough to raise wrk's p99 from about 4 ms to
    /// 25 ms on one core (50 keep-alive connections). About 25 MiB per child, against 36 MiB with
    /// the runtime's default budget.
    /// </summary>
    public override int ChildGen0BudgetBytes => 0x400000;

    internal override IEnumerable<(MaintenanceDecision Decision, int? Bucket)> PerformIdleServerMaintenance(
        Scoreboard.Scoreboard board, EventSettings settings, MaintenanceState state, int buckets) =>
        EventMaintenance.PerformIdleServerMaintenance(board, settings, state, buckets);
}
