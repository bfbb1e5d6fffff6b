using System.Globalization;
using Pluma.Mpm.Common;
using Pluma.Mpm.Event;
using Pluma.Mpm.Prefork;
using Pluma.Mpm.Worker;

namespace Pluma.Modules;

/// <summary>
/// What the configuration said to the loaded MPM (null = not said), turned into the MPM's
/// settings record on top of Apache's compiled defaults. The MPM layer knows no configuration
/// files, so this mapping lives in the composition root.
/// </summary>
internal sealed class MpmDirectiveValues
{
    public int? StartServers { get; set; }
    public int? ServerLimit { get; set; }
    public int? ThreadLimit { get; set; }
    public int? ThreadsPerChild { get; set; }
    public int? MaxRequestWorkers { get; set; }
    public int? MinSpareThreads { get; set; }
    public int? MaxSpareThreads { get; set; }
    public int? MinSpareServers { get; set; }
    public int? MaxSpareServers { get; set; }
    public int? MaxConnectionsPerChild { get; set; }
    public double? AsyncRequestWorkerFactor { get; set; }
    public int? GracefulShutdownTimeout { get; set; }

    /// <summary>The settings for <paramref name="mpm"/> (event, worker, prefork), before Apache's clamps.</summary>
    public MpmSettings ToSettings(string mpm, int? listenBacklog, int? listenCoresBucketsRatio = null)
    {
        MpmSettings s = mpm switch
        {
            "prefork" => Prefork(),
            "worker" => Threaded(new WorkerSettings()),
            _ => Threaded(new EventSettings()) with { AsyncRequestWorkerFactor = AsyncRequestWorkerFactor ?? MpmDefaults.AsyncRequestWorkerFactor },
        };
        s = s with
        {
            MaxConnectionsPerChild = MaxConnectionsPerChild ?? s.MaxConnectionsPerChild,
            GracefulShutdownTimeout = GracefulShutdownTimeout ?? s.GracefulShutdownTimeout,
            ListenBacklog = listenBacklog ?? s.ListenBacklog,
            ListenCoresBucketsRatio = listenCoresBucketsRatio ?? s.ListenCoresBucketsRatio,
        };
        return s;
    }

    private PreforkSettings Prefork()
    {
        var p = new PreforkSettings();
        int serverLimit = ServerLimit ?? p.ServerLimit;
        return p with
        {
            StartServers = StartServers ?? p.StartServers,
            ServerLimit = serverLimit,
            // prefork's compiled MaxRequestWorkers is ServerLimit.
            MaxRequestWorkers = MaxRequestWorkers ?? serverLimit,
            MinSpareServers = MinSpareServers ?? p.MinSpareServers,
            MaxSpareServers = MaxSpareServers ?? p.MaxSpareServers,
        };
    }

    private T Threaded<T>(T t)
        where T : ThreadedMpmSettings
    {
        int serverLimit = ServerLimit ?? t.ServerLimit;
        int tpc = ThreadsPerChild ?? t.ThreadsPerChild;
        return t with
        {
            StartServers = StartServers ?? t.StartServers,
            ServerLimit = serverLimit,
            ThreadLimit = ThreadLimit ?? t.ThreadLimit,
            ThreadsPerChild = tpc,
            // Compiled default: ServerLimit x ThreadsPerChild (event.c/worker.c pre_config + check).
            MaxRequestWorkers = MaxRequestWorkers ?? serverLimit * tpc,
            MinSpareThreads = MinSpareThreads ?? t.MinSpareThreads,
            MaxSpareThreads = MaxSpareThreads ?? t.MaxSpareThreads,
        };
    }

    internal static string Format(double d) => d.ToString(CultureInfo.InvariantCulture);
}
