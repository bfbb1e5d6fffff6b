using System.Collections.Generic;
using System.Globalization;
using Pluma.Mpm.Common;

namespace Pluma.Mpm.Advice;

/// <summary>
/// The MPM advisor's arithmetic (<c>pluma -k advise</c>): measured inputs in, one recommendation
/// per MPM out, with every step written down. Pure: no clock, no files, so recorded inputs
/// replay exactly. Every recommendation satisfies Apache's clamps (the *_check_config rules
/// and *_run's adjustments) as they stand, so Pluma prints no AH warning for it: MaxRequestWorkers
/// a multiple of ThreadsPerChild, ThreadsPerChild &lt;= ThreadLimit, MaxRequestWorkers / ThreadsPerChild
/// &lt;= ServerLimit, MaxSpare &gt;= MinSpare + ThreadsPerChild + 1 (prefork: + 1), StartServers &lt;= the
/// process limit, everything &gt;= 1. ServerLimit and ThreadLimit stay at Apache's compiled values
/// unless more is needed, so that a restart (not only a stop and start) can apply the advice.
/// </summary>
public static class MpmAdvisor
{
    /// <summary>The share of RAM the server may take unless told otherwise.</summary>
    public const double DefaultRamShare = 0.75;

    /// <summary>Assumed memory of one worker thread in a child (touched stack, thread statics, buffers
    /// rented while it serves): the measured child is split into a base and this per thread.</summary>
    public const long PerThreadBytes = 256 * 1024;

    /// <summary>Room over the observed peak: the recommendations hold this many times the peak.</summary>
    public const int Headroom = 4;

    /// <summary>What the advice is sized for before any load was observed (Debian's MaxRequestWorkers).</summary>
    public const int UnobservedTarget = 150;

    /// <summary>A child of a size nobody measured (no child could be read): a Pluma event child under light load.</summary>
    public const long AssumedChildBytes = 32L << 20;

    /// <summary>Connections per child beyond which a child is replaced when memory is tight.</summary>
    public const int TightMaxConnectionsPerChild = 10000;

    private const int DebianThreadsPerChild = 25;
    private const int DebianMinSpareServers = 5;

    public static MpmAdvice Advise(AdviceInputs m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var basis = new List<string>();
        var notes = new List<string>();
        int cpus = Math.Max(1, m.OnlineCpus);
        double share = m.RamShare is > 0 and <= 1 ? m.RamShare : DefaultRamShare;

        // The measured child, split into what every child has and what each thread adds.
        long measured = m.ChildrenMeasured > 0 ? Math.Max(m.ChildPssMaxBytes, m.ChildPssBytes) : 0;
        if (measured <= 0)
        {
            measured = AssumedChildBytes;
            notes.Add($"no child could be measured (is the server running, and its /proc/PID/smaps_rollup readable?): a child of {Mib(measured)} is assumed");
        }

        int measuredThreads = Math.Max(1, m.MeasuredThreadsPerChild);
        long baseBytes = Math.Max(measured / 2, measured - (measuredThreads * PerThreadBytes));
        basis.Add($"child base = PSS {Mib(measured)} (largest {m.MeasuredMpm} child) - {measuredThreads} threads x {Mib(PerThreadBytes)} = {Mib(baseBytes)}"
            + (baseBytes == measured / 2 ? " (floor: half the child)" : string.Empty));

        // The memory the children may use: a share of RAM, no more than is free now plus what the server holds.
        long serverNow = (m.ChildPssBytes * Math.Max(0, m.ChildrenMeasured)) + m.ParentPssBytes;
        long shareBytes = (long)(m.MemTotalBytes * share);
        long reachable = m.MemAvailableBytes + serverNow;
        long ram = Math.Min(shareBytes, reachable);
        long budget = Math.Max(0, ram - m.ParentPssBytes);
        basis.Add($"budget = min({Pct(share)} of MemTotal {Mib(m.MemTotalBytes)} = {Mib(shareBytes)}, MemAvailable {Mib(m.MemAvailableBytes)} + server now {Mib(serverNow)} = {Mib(reachable)}) - parent {Mib(m.ParentPssBytes)} = {Mib(budget)}");

        // The load to size for.
        bool observed = m.LoadSamples > 0 && m.PeakConnections > 0;
        double ka = observed ? Math.Clamp(m.KeepAliveShare, 0, 1) : 0;
        int target;
        int busyTarget;
        if (observed)
        {
            target = Math.Max(DebianThreadsPerChild, m.PeakConnections * Headroom);
            // event: workers for the busy peak, for the connections that do not wait in keep-alive,
            // and enough that the parked share (AsyncRequestWorkerFactor per worker) holds the rest.
            int parkedFloor = (int)Math.Ceiling(target / (1 + MpmDefaults.AsyncRequestWorkerFactor));
            busyTarget = Math.Max(Math.Max(1, parkedFloor), Math.Max(m.PeakBusyWorkers * Headroom, (int)Math.Ceiling(target * (1 - ka))));
            basis.Add($"load: peak {m.PeakConnections} connections, peak {m.PeakBusyWorkers} busy workers, keep-alive share {Pct(ka)} over {m.LoadSamples} s");
            basis.Add($"target = max({DebianThreadsPerChild}, {Headroom} x peak {m.PeakConnections}) = {target} connections; "
                + $"event workers = max({Headroom} x peak busy {m.PeakBusyWorkers}, {target} x (1 - {Pct(ka)}), {target} / (1 + AsyncRequestWorkerFactor {MpmDefaults.AsyncRequestWorkerFactor.ToString(CultureInfo.InvariantCulture)})) = {busyTarget}");
        }
        else
        {
            target = UnobservedTarget;
            busyTarget = UnobservedTarget;
            notes.Add($"no load observed yet ({m.LoadSamples} s of samples, peak {m.PeakConnections} connections): sized for Debian's {UnobservedTarget} connections within memory; run advise again after the server has seen its usual traffic");
            basis.Add($"target = {UnobservedTarget} connections (no load observed yet)");
        }

        MpmRecommendation prefork = Prefork(m, baseBytes, budget, target, observed, notes);
        MpmRecommendation worker = Threaded("worker", m, cpus, baseBytes, budget, target, target, observed, notes);
        MpmRecommendation ev = Threaded("event", m, cpus, baseBytes, budget, target, busyTarget, observed, notes);
        (string best, string reason) = Choose([prefork, worker, ev], ka, observed);
        return new MpmAdvice
        {
            BudgetBytes = budget,
            TargetConnections = target,
            Basis = basis,
            Notes = notes,
            Recommendations = [prefork, worker, ev],
            Best = best,
            Reason = reason,
        };
    }

    private static MpmRecommendation Prefork(AdviceInputs m, long baseBytes, long budget, int target, bool observed, List<string> notes)
    {
        var a = new List<string>();
        long child = baseBytes + PerThreadBytes;
        a.Add($"child = base {Mib(baseBytes)} + 1 thread x {Mib(PerThreadBytes)} = {Mib(child)}");
        long memCap = budget / child;
        a.Add($"memory allows floor({Mib(budget)} / {Mib(child)}) = {memCap} children");
        int mrw = (int)Math.Clamp(Math.Min(target, memCap), 1, MpmDefaults.PreforkMaxServerLimit);
        a.Add($"MaxRequestWorkers = min(target {target}, {memCap}) = {mrw} (one connection per child)");
        bool tight = memCap < target;
        if (memCap < 1)
        {
            notes.Add($"prefork: not even one child of {Mib(child)} fits in {Mib(budget)}");
        }

        int sl = Math.Max(mrw, MpmDefaults.PreforkServerLimit);
        a.Add($"ServerLimit = max(MaxRequestWorkers {mrw}, compiled {MpmDefaults.PreforkServerLimit}) = {sl}");
        int peak = observed ? m.PeakConnections : 0;
        int minSpare = Math.Clamp(Math.Max(DebianMinSpareServers, Ceil(peak, 4)), 1, mrw);
        int maxSpare = 2 * minSpare;
        int start = Math.Min(mrw, minSpare);
        a.Add($"MinSpareServers = max({DebianMinSpareServers}, peak {peak} / 4) capped at {mrw} = {minSpare}; MaxSpareServers = 2 x {minSpare} = {maxSpare}; StartServers = {start}");
        return Finish(new MpmRecommendation
        {
            Mpm = "prefork",
            StartServers = start,
            MinSpare = minSpare,
            MaxSpare = maxSpare,
            ServerLimit = sl,
            MaxRequestWorkers = mrw,
            MaxConnectionsPerChild = tight ? TightMaxConnectionsPerChild : 0,
            ChildBytes = child,
            ConnectionCapacity = mrw,
        }, m, budget, target, mrw, tight, a);
    }

    private static MpmRecommendation Threaded(string mpm, AdviceInputs m, int cpus, long baseBytes, long budget, int target, int workersNeeded, bool observed, List<string> notes)
    {
        var a = new List<string>();
        int tpc = DebianThreadsPerChild;
        if (baseBytes + (tpc * PerThreadBytes) > budget)
        {
            // Not one child of Debian's 25 threads fits: fewer threads in the one child.
            tpc = (int)Math.Clamp((budget - baseBytes) / PerThreadBytes, 1, DebianThreadsPerChild);
            a.Add($"ThreadsPerChild = (budget {Mib(budget)} - base {Mib(baseBytes)}) / {Mib(PerThreadBytes)} = {tpc} (25 threads do not fit)");
        }

        long child = baseBytes + (tpc * PerThreadBytes);
        a.Add($"child = base {Mib(baseBytes)} + {tpc} threads x {Mib(PerThreadBytes)} = {Mib(child)}");
        long memCap = budget / child;
        a.Add($"memory allows floor({Mib(budget)} / {Mib(child)}) = {memCap} children");
        int needed = Ceil(workersNeeded, tpc);
        a.Add($"load needs ceil({workersNeeded} workers / {tpc}) = {needed} children");
        int children = (int)Math.Clamp(Math.Min(needed, memCap), 1, MpmDefaults.ThreadedMaxServerLimit);
        if (memCap < 1)
        {
            notes.Add($"{mpm}: not even one child of {Mib(child)} fits in {Mib(budget)}");
        }

        int mrw = children * tpc;
        a.Add($"MaxRequestWorkers = {children} children x {tpc} ThreadsPerChild = {mrw}");
        int sl = Math.Max(children, MpmDefaults.ThreadedServerLimit);
        int tl = Math.Max(tpc, MpmDefaults.ThreadLimit);
        a.Add($"ServerLimit = max({children}, compiled {MpmDefaults.ThreadedServerLimit}) = {sl}; ThreadLimit = max({tpc}, compiled {MpmDefaults.ThreadLimit}) = {tl}");
        int peakBusy = observed ? m.PeakBusyWorkers : 0;
        int minSpare = Math.Min(mrw, Math.Max(tpc, Ceil(peakBusy, 2)));
        int maxSpare = minSpare + (2 * tpc);
        int start = Math.Clamp(Math.Max(Ceil(minSpare, tpc), Math.Min(cpus, children)), 1, children);
        a.Add($"MinSpareThreads = max({tpc}, peak busy {peakBusy} / 2) = {minSpare}; MaxSpareThreads = {minSpare} + 2 x {tpc} = {maxSpare}; "
            + $"StartServers = max(ceil({minSpare} / {tpc}), min({cpus} CPUs, {children})) = {start}");
        int capacity = mpm == "event" ? mrw + (int)(mrw * MpmDefaults.AsyncRequestWorkerFactor) : mrw;
        if (mpm == "event")
        {
            a.Add($"connections = {mrw} workers + {mrw} x AsyncRequestWorkerFactor {MpmDefaults.AsyncRequestWorkerFactor.ToString(CultureInfo.InvariantCulture)} parked = {capacity}");
        }

        bool tight = memCap < needed;
        return Finish(new MpmRecommendation
        {
            Mpm = mpm,
            StartServers = start,
            MinSpare = minSpare,
            MaxSpare = maxSpare,
            ThreadLimit = tl,
            ThreadsPerChild = tpc,
            ServerLimit = sl,
            MaxRequestWorkers = mrw,
            MaxConnectionsPerChild = tight ? TightMaxConnectionsPerChild : 0,
            ChildBytes = child,
            ConnectionCapacity = capacity,
        }, m, budget, target, children, tight, a);
    }

    private static MpmRecommendation Finish(MpmRecommendation r, AdviceInputs m, long budget, int target, int children, bool tight, List<string> a)
    {
        long memory = (children * r.ChildBytes) + m.ParentPssBytes;
        bool withinMemory = children * r.ChildBytes <= budget;
        a.Add($"memory = {children} children x {Mib(r.ChildBytes)} + parent {Mib(m.ParentPssBytes)} = {Mib(memory)} "
            + (withinMemory ? "<=" : ">") + $" budget {Mib(budget)} + parent");
        a.Add(tight
            ? $"MaxConnectionsPerChild {TightMaxConnectionsPerChild}: memory, not load, sets the limit, so children are renewed to keep them at the measured size"
            : "MaxConnectionsPerChild 0: memory leaves room, children need not be renewed");
        bool fits = withinMemory && r.ConnectionCapacity >= target;
        a.Add($"holds {r.ConnectionCapacity} connections " + (fits ? ">=" : "<") + $" target {target}" + (fits ? ": fits" : ": does not fit"));
        return r with { MemoryBytes = memory, Fits = fits, Arithmetic = a };
    }

    private static (string Best, string Reason) Choose(MpmRecommendation[] all, double ka, bool observed)
    {
        // Among those that fit, the least memory per connection held; if none fits, the most connections.
        MpmRecommendation? best = null;
        foreach (MpmRecommendation r in all)
        {
            if (best is null || Better(r, best))
            {
                best = r;
            }
        }

        string perConnection = string.Join(", ", Array.ConvertAll(all, r => $"{r.Mpm} {Mib(r.MemoryBytes / Math.Max(1, r.ConnectionCapacity))}/connection"));
        string why = !best!.Fits
            ? $"no MPM holds the target within memory; {best.Mpm} holds the most ({best.ConnectionCapacity} connections)"
            : $"{best.Mpm} holds {best.ConnectionCapacity} connections in {Mib(best.MemoryBytes)}, the least memory per connection ({perConnection})";
        if (best.Mpm == "event")
        {
            why += ka > 0
                ? $"; {Pct(ka)} of the connections waited for their next request, and event parks those without a worker"
                : observed ? "; no keep-alive was observed, and event also parks it without a worker when clients use it" : string.Empty;
        }

        return (best.Mpm, why);
    }

    private static bool Better(MpmRecommendation r, MpmRecommendation than)
    {
        if (r.Fits != than.Fits)
        {
            return r.Fits;
        }

        if (!r.Fits)
        {
            return r.ConnectionCapacity > than.ConnectionCapacity;
        }

        // Compare memory per connection without division: r.M / r.C < t.M / t.C.
        return (double)r.MemoryBytes * than.ConnectionCapacity < (double)than.MemoryBytes * r.ConnectionCapacity;
    }

    private static int Ceil(int a, int b) => b <= 0 ? a : (a + b - 1) / b;

    /// <summary>Bytes as MiB (or GiB from 10 GiB up), one decimal (two below 1 MiB).</summary>
    public static string Mib(long bytes) => bytes >= 10L << 30
        ? (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB"
        : (bytes / (double)(1L << 20)).ToString(bytes < 1L << 20 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " MiB";

    private static string Pct(double x) => (x * 100).ToString("0", CultureInfo.InvariantCulture) + "%";
}
