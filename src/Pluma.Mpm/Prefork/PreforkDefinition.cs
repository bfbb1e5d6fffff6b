using System.Collections.Generic;
using Pluma.Config;
using Pluma.Mpm.Common;

namespace Pluma.Mpm.Prefork;

/// <summary>prefork as the rest of Pluma sees it (server/mpm/prefork/prefork.c): module, table, and what differs.</summary>
public sealed class PreforkDefinition : MpmDefinition
{
    public static PreforkDefinition Instance { get; } = new();

    private PreforkDefinition()
    {
        Module = MpmDirectives.Module("mpm_prefork_module", "prefork.c", PreforkDirectives.Table, () => new PreforkSettings());
    }

    public override string Name => "prefork";

    public override ModuleDescriptor Module { get; }

    public override MpmSettings CompiledDefaults => new PreforkSettings();

    internal override ChildBase CreateChild(ChildContext context) => new PreforkChild(context);

    internal override MpmSettings FromValues(IReadOnlyDictionary<string, string> values) => new PreforkSettings
    {
        MinSpareServers = ChildSettingsVariable.Int(values, "MinSpareServers"),
        MaxSpareServers = ChildSettingsVariable.Int(values, "MaxSpareServers"),
    };

    internal override string ResumingNormalOperations(string serverDescription) => $"AH00163: {serverDescription} configured -- resuming normal operations";

    internal override string CaughtSigterm => "AH00169: caught SIGTERM, shutting down";

    internal override string CaughtSigwinch => "AH00170: caught SIGWINCH, shutting down gracefully";

    internal override string SighupReceived => "AH00173: SIGHUP received.  Attempting to restart";

    internal override string Sigusr1Received => "AH00171: Graceful restart requested, doing restart";

    internal override string IgnoringFatalErrorOfPreviousGeneration(int pid) => $"AH00166: Ignoring fatal error in child of previous generation (pid {pid}).";

    internal override string? ChildrenKilledSuccessively => null;

    internal override bool StartsChildrenInAnySlot => false;

    internal override bool ReplacementKeepsBucket => false;

    internal override bool ParentMarksThreadsStarting => true;

    internal override bool SignalsChildrenOnGracefulRestart => true;

    internal override IEnumerable<(MaintenanceDecision Decision, int? Bucket)> PerformIdleServerMaintenance(
        Scoreboard.Scoreboard board, MpmSettings settings, MaintenanceState state, int buckets)
    {
        // One maintenance for all buckets, over the first MaxRequestWorkers slots.
        var prefork = (PreforkSettings)settings;
        SlotSummary[] slots = SlotCounter.Read(board, Math.Min(prefork.MaxRequestWorkers, board.ServerLimit), 1, prefork: true);
        yield return (PreforkMaintenance.PerformIdleServerMaintenance(prefork, slots, state), null);
    }
}
