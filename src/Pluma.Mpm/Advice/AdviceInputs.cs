namespace Pluma.Mpm.Advice;

/// <summary>
/// What <c>pluma -k advise</c> measured on the running server and the machine: the inputs of
/// <see cref="MpmAdvisor.Advise"/>. A plain record so that measurements can be recorded and replayed.
/// </summary>
public sealed record AdviceInputs
{
    /// <summary>MemTotal of /proc/meminfo, bytes.</summary>
    public long MemTotalBytes { get; init; }

    /// <summary>MemAvailable of /proc/meminfo, bytes.</summary>
    public long MemAvailableBytes { get; init; }

    /// <summary>Online CPUs.</summary>
    public int OnlineCpus { get; init; } = 1;

    /// <summary>The MPM the measured children run (event, worker, prefork).</summary>
    public string MeasuredMpm { get; init; } = "event";

    /// <summary>ThreadsPerChild of the measured children (1 for prefork).</summary>
    public int MeasuredThreadsPerChild { get; init; } = 1;

    /// <summary>Children whose PSS was read (0: none could be measured).</summary>
    public int ChildrenMeasured { get; init; }

    /// <summary>Mean PSS of the measured children, bytes.</summary>
    public long ChildPssBytes { get; init; }

    /// <summary>The largest measured child's PSS, bytes (the sizing uses it: children grow to it).</summary>
    public long ChildPssMaxBytes { get; init; }

    /// <summary>PSS of the parent process, bytes.</summary>
    public long ParentPssBytes { get; init; }

    /// <summary>Maintenance ticks observed (about one a second; 0: no load observed yet).</summary>
    public long LoadSamples { get; init; }

    /// <summary>The most busy workers at one tick.</summary>
    public int PeakBusyWorkers { get; init; }

    /// <summary>The most open connections at one tick.</summary>
    public int PeakConnections { get; init; }

    /// <summary>The share of open connections that waited for their next request (0..1).</summary>
    public double KeepAliveShare { get; init; }

    /// <summary>The share of RAM the server may use (0..1).</summary>
    public double RamShare { get; init; } = MpmAdvisor.DefaultRamShare;
}
