using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Pluma.Mpm.Common;

/// <summary>
/// The directives of one MPM as its directive table set them (Prefork/, Worker/, Event/): values,
/// Apache's check_config clamps, ap_mpm_query and -V. A record per MPM: PreforkSettings,
/// WorkerSettings, EventSettings.
/// </summary>
public abstract record MpmSettings
{
    /// <summary>The MPM these settings are for: what differs between the MPMs is asked there.</summary>
    public abstract MpmDefinition Definition { get; }

    /// <summary><c>event</c>, <c>worker</c> or <c>prefork</c> (mod_status's ServerMPM, -V).</summary>
    public string Name => Definition.Name;

    /// <summary>The module name in error-log lines: <c>mpm_event</c>.</summary>
    public string ModuleName => "mpm_" + Name;

    public int StartServers { get; init; }

    public int ServerLimit { get; init; }

    public int MaxRequestWorkers { get; init; }

    /// <summary>0 = unlimited; negative: see <see cref="ConnectionsPerChild"/>.</summary>
    public int MaxConnectionsPerChild { get; init; } = MpmDefaults.MaxConnectionsPerChild;

    /// <summary>Seconds; 0 waits forever (graceful stop only).</summary>
    public int GracefulShutdownTimeout { get; init; } = MpmDefaults.GracefulShutdownTimeout;

    public int ListenBacklog { get; init; } = MpmDefaults.ListenBacklog;

    /// <summary>
    /// ListenCoresBucketsRatio (listen.c): 0 = one listener bucket; R &gt; 0 with SO_REUSEPORT =
    /// online cores / R buckets, each with its own copy of every Listen socket and its own children.
    /// </summary>
    public int ListenCoresBucketsRatio { get; init; }

    /// <summary>
    /// The listener buckets the MPM runs with (set by <see cref="AdjustForRun"/>): the
    /// maintenance limits are per bucket and there are at least this many children.
    /// </summary>
    public int ListenBuckets { get; init; } = 1;

    /// <summary>MaxRequestWorkers when the configuration does not say it (prefork: ServerLimit; worker, event: ServerLimit x ThreadsPerChild).</summary>
    public abstract int CompiledMaxRequestWorkers { get; }

    /// <summary>Threads per child process (1 for prefork).</summary>
    public abstract int Threads { get; }

    /// <summary>Worker slots per process in the scoreboard (ThreadLimit; 1 for prefork).</summary>
    public abstract int ThreadSlots { get; }

    /// <summary>The most child processes alive for serving (Apache's active_daemons_limit / ap_daemons_limit).</summary>
    public abstract int MaxDaemons { get; }

    /// <summary>
    /// Apache's check_config: clamps in Apache's order and returns the warnings.
    /// <paramref name="startup"/> selects the console texts of the first start, otherwise the
    /// error-log texts of a restart; on restart <paramref name="running"/> carries the values of
    /// the first start (ServerLimit and ThreadLimit cannot change).
    /// </summary>
    public abstract MpmConfigCheck CheckConfig(bool startup, MpmSettings? running = null);

    /// <summary>
    /// The silent adjustments made when the MPM starts running (the *_run routines after server/listen.c ap_duplicate_listeners) with
    /// <paramref name="buckets"/> listener buckets: every bucket gets at least one child.
    /// </summary>
    public abstract MpmSettings AdjustForRun(int buckets = 1);

    /// <summary>ap_mpm_query for what the settings answer (run-time codes answer 0 here; see MpmParent.Query).</summary>
    public abstract int Query(MpmQuery query);

    /// <summary>The MPM lines of <c>apache2 -V</c>, values from column 17.</summary>
    public IReadOnlyList<string> VersionLines()
    {
        var lines = new List<string> { "Server MPM:     " + Name };
        int threaded = Query(MpmQuery.IsThreaded);
        lines.Add(threaded == MpmQueryAnswer.NotSupported ? "  threaded:     no"
            : threaded == MpmQueryAnswer.Static ? "  threaded:     yes (fixed thread count)" : "  threaded:     yes (variable thread count)");
        int forked = Query(MpmQuery.IsForked);
        lines.Add(forked == MpmQueryAnswer.NotSupported ? "    forked:     no"
            : forked == MpmQueryAnswer.Static ? "    forked:     yes (fixed process count)" : "    forked:     yes (variable process count)");
        return lines;
    }

    /// <summary>The one form children receive their settings in (see <see cref="ChildSettingsVariable"/>).</summary>
    public string ToEnvironmentValue() => ChildSettingsVariable.Write(this);

    /// <summary>
    /// The fields every MPM's settings carry, each named once for both directions of
    /// <see cref="ChildSettingsVariable"/>: written by <see cref="Values"/>, read back by
    /// <see cref="WithSharedValues"/>. An MPM's own fields follow in its override of <see cref="Values"/>.
    /// </summary>
    private static readonly (string Key, Func<MpmSettings, int> Get, Func<MpmSettings, int, MpmSettings> Set)[] SharedFields =
    [
        ("StartServers", s => s.StartServers, (s, v) => s with { StartServers = v }),
        ("ServerLimit", s => s.ServerLimit, (s, v) => s with { ServerLimit = v }),
        ("MaxRequestWorkers", s => s.MaxRequestWorkers, (s, v) => s with { MaxRequestWorkers = v }),
        ("MaxConnectionsPerChild", s => s.MaxConnectionsPerChild, (s, v) => s with { MaxConnectionsPerChild = v }),
        ("GracefulShutdownTimeout", s => s.GracefulShutdownTimeout, (s, v) => s with { GracefulShutdownTimeout = v }),
        ("ListenBacklog", s => s.ListenBacklog, (s, v) => s with { ListenBacklog = v }),
        ("ListenCoresBucketsRatio", s => s.ListenCoresBucketsRatio, (s, v) => s with { ListenCoresBucketsRatio = v }),
        ("ListenBuckets", s => s.ListenBuckets, (s, v) => s with { ListenBuckets = v }),
    ];

    /// <summary>Name/value pairs of every setting (for the environment).</summary>
    protected internal virtual IEnumerable<(string Key, string Value)> Values()
    {
        foreach (var field in SharedFields)
        {
            yield return (field.Key, N(field.Get(this)));
        }
    }

    /// <summary>These settings with the shared fields read from <paramref name="values"/> (the inverse of <see cref="Values"/>).</summary>
    internal MpmSettings WithSharedValues(IReadOnlyDictionary<string, string> values)
    {
        MpmSettings s = this;
        foreach (var field in SharedFields)
        {
            s = field.Set(s, ChildSettingsVariable.Int(values, field.Key));
        }

        return s;
    }

    /// <summary>Invariant number text.</summary>
    protected static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
