using System.Collections.Generic;
using Pluma.Config;

namespace Pluma.Mpm.Common;

/// <summary>
/// One MPM as the rest of Pluma sees it: its name, its module and directive table, and the
/// answers to what differs between prefork, worker and event. One instance per MPM, in its
/// folder (an <see cref="MpmDefinition{TSettings}"/>); code outside the MPM folders asks this
/// object instead of testing the MPM's type.
/// </summary>
public abstract class MpmDefinition
{
    /// <summary>prefork, worker, event (mod_status's ServerMPM, -V, mpm_NAME_module).</summary>
    public abstract string Name { get; }

    /// <summary>LoadModule's mpm_NAME_module with the MPM's directive table.</summary>
    public abstract ModuleDescriptor Module { get; }

    /// <summary>Apache's compiled defaults (what the configuration starts from).</summary>
    public abstract MpmSettings CompiledDefaults { get; }

    /// <summary>Rebuilds this MPM's own fields from the child's settings variable (<see cref="ChildSettingsVariable"/>).</summary>
    internal abstract MpmSettings FromValues(IReadOnlyDictionary<string, string> values);

    /// <summary>make_child's other half: the child main loop of this MPM for one child process.</summary>
    internal abstract ChildBase CreateChild(ChildContext context);

    // What the parent (MpmParent) asks. The texts carry the MPM's own AH numbers, as each of
    // prefork.c, worker.c and event.c logs its own copy of these lines.

    /// <summary>*_run's "resuming normal operations" line.</summary>
    internal abstract string ResumingNormalOperations(string serverDescription);

    /// <summary>The info line after it: "Server built: ..." (ap_get_server_built), with this MPM's AH number.</summary>
    internal abstract string ServerBuilt(string built);

    /// <summary>*_run's lines for SIGTERM, SIGWINCH, SIGHUP and SIGUSR1.</summary>
    internal abstract string CaughtSigterm { get; }

    internal abstract string CaughtSigwinch { get; }

    internal abstract string SighupReceived { get; }

    internal abstract string Sigusr1Received { get; }

    /// <summary>server_main_loop: a child of an older generation exited with APEXIT_CHILDFATAL.</summary>
    internal abstract string IgnoringFatalErrorOfPreviousGeneration(int pid);

    /// <summary>
    /// server_main_loop of worker and event: a child killed by a signal is replaced at once
    /// (twice in a row), with this line from the third death on; null: left to maintenance (prefork).
    /// </summary>
    internal abstract string? ChildrenKilledSuccessively { get; }

    /// <summary>New children may take any free slot of the scoreboard (event), not only the first MaxDaemons.</summary>
    internal abstract bool StartsChildrenInAnySlot { get; }

    /// <summary>A replacement child keeps the listener bucket of the child it replaces (event) instead of slot % buckets.</summary>
    internal abstract bool ReplacementKeepsBucket { get; }

    /// <summary>
    /// make_child marks the new child's threads STARTING (prefork, event), so maintenance counts
    /// them idle while the child loads; a worker child marks them itself as it claims them.
    /// </summary>
    internal abstract bool ParentMarksThreadsStarting { get; }

    /// <summary>Graceful restart and stop also send SIGUSR1 to every child (prefork: a busy child leaves after its connection).</summary>
    internal abstract bool SignalsChildrenOnGracefulRestart { get; }

    /// <summary>
    /// The GC allocation budget (gen0 size, bytes) a child of this MPM gets unless the
    /// administrator set one: what a child's resident memory grows to under load.
    /// </summary>
    public abstract int ChildGen0BudgetBytes { get; }

    /// <summary>
    /// perform_idle_server_maintenance for one tick: the decisions in order, each with the
    /// bucket its new children join (null: slot % buckets). Lazy on purpose: the parent carries
    /// out each decision before the next bucket's scoreboard is read, so children just started
    /// for one bucket are not free for the next.
    /// </summary>
    internal abstract IEnumerable<(MaintenanceDecision Decision, int? Bucket)> PerformIdleServerMaintenance(
        Scoreboard.Scoreboard board, MpmSettings settings, MaintenanceState state, int buckets);
}

/// <summary>
/// The typed half of <see cref="MpmDefinition"/>: an MPM's definition works on its own settings
/// record. The parent and the child entry hold the settings as <see cref="MpmSettings"/>; a
/// settings record names its definition (<see cref="MpmSettings.Definition"/>), so the settings
/// handed to a definition are always its own record, checked once here and typed from here on
/// (the MPM's child and maintenance never cast).
/// </summary>
public abstract class MpmDefinition<TSettings> : MpmDefinition
    where TSettings : MpmSettings
{
    internal sealed override ChildBase CreateChild(ChildContext context) => CreateChild(context, Own(context.Settings));

    internal sealed override IEnumerable<(MaintenanceDecision Decision, int? Bucket)> PerformIdleServerMaintenance(
        Scoreboard.Scoreboard board, MpmSettings settings, MaintenanceState state, int buckets) =>
        PerformIdleServerMaintenance(board, Own(settings), state, buckets);

    /// <summary>make_child's other half: the child main loop of this MPM for one child process.</summary>
    internal abstract ChildBase CreateChild(ChildContext context, TSettings settings);

    /// <summary>perform_idle_server_maintenance for one tick (see the untyped overload).</summary>
    internal abstract IEnumerable<(MaintenanceDecision Decision, int? Bucket)> PerformIdleServerMaintenance(
        Scoreboard.Scoreboard board, TSettings settings, MaintenanceState state, int buckets);

    private TSettings Own(MpmSettings settings) =>
        settings as TSettings ?? throw new InvalidOperationException($"{settings.Name} settings handed to the {Name} MPM");
}
