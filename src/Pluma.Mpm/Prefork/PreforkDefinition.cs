using System.Collections.Generic;
using Pluma.Config;
using Pluma.Mpm.Common;

namespace Pluma.Mpm.Prefork;

/// <summary>prefork as the rest of Pluma sees it (server/mpm/prefork/prefork.c): module, table, and what differs.</summary>
public sealed class PreforkDefinition : MpmDefinition<PreforkSettings>
{
    public static PreforkDefinition Instance { get; } = new();

    private PreforkDefinition()
    {
        Module = MpmDirectives.Module("mpm_prefork_module", "prefork.c", () => PreforkDirectives.Table, () => new PreforkSettings());
    }

    public override string Name => "prefork";

    public override ModuleDescriptor Module { get; }

    public override MpmSettings CompiledDefaults => new PreforkSettings();

    internal override MpmSettings FromValues(IReadOnlyDictionary<string, string> values) => new PreforkSettings
    {
        MinSpareServers = ChildSettingsVariable.Int(values, "MinSpareServers"),
        MaxSpareServers = ChildSettingsVariable.Int(values, "MaxSpareServers"),
    };

    internal override ChildBase CreateChild(ChildContext context, PreforkSettings settings) => new PreforkChild(context, settings);

    internal override string ResumingNormalOperations(string serverDescription) => $"AH00163: {serverDescription} configured -- resuming normal operations";

    internal override string ServerBuilt(string built) => $"AH00164: Server built: {built}";

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

    /// <summary>
    /// 1 MiB: one connection per process, so a small budget costs little; the runtime's default
    /// (sized from the CPU cache, 16 MiB and more) grew each child to about 21 MiB, 1 MiB to about 14 MiB.
    /// </summary>
    public override int ChildGen0BudgetBytes => 0x100000;

    internal override IEnumerable<(MaintenanceDecision Decision, int? Bucket)> PerformIdleServerMaintenance(
        Scoreboard.Scoreboard board, PreforkSettings settings, MaintenanceState state, int buckets) =>
        PreforkMaintenance.PerformIdleServerMaintenance(board, settings, state);
}
