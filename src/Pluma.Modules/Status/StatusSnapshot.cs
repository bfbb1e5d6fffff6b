using System.Collections.Generic;
using Pluma.Scoreboard;

namespace Pluma.Modules.Status;

/// <summary>
/// The scoreboard numbers mod_status prints, as a plain record (ScoreboardSnapshot can only be
/// taken from a live scoreboard; tests build this directly).
/// </summary>
public sealed record StatusSnapshot
{
    public string MpmName { get; init; } = "event";

    public int ConfigGeneration { get; init; }

    public int RunningGeneration { get; init; }

    /// <summary>ServerLimit as configured.</summary>
    public int ServerLimit { get; init; }

    /// <summary>ThreadLimit as configured (1 for prefork).</summary>
    public int ThreadLimit { get; init; }

    /// <summary>Process slots in the scoreboard (sized for any MPM a graceful restart may switch to).</summary>
    public int ScoreboardProcessSlots { get; init; }

    /// <summary>Worker slots per process in the scoreboard.</summary>
    public int ScoreboardThreadSlots { get; init; }

    /// <summary>The process limit in force (MaxRequestWorkers / ThreadsPerChild, at most ServerLimit).</summary>
    public int MaxDaemons { get; init; }

    public int ThreadsPerChild { get; init; }

    public int MaxRequestWorkers { get; init; }

    /// <summary>Unix microseconds of the last start or hard restart; 0 when unknown.</summary>
    public long RestartTime { get; init; }

    public string Letters { get; init; } = string.Empty;

    public int BusyWorkers { get; init; }

    public int IdleWorkers { get; init; }

    public int GracefulWorkers { get; init; }

    public int Processes { get; init; }

    public int Stopping { get; init; }

    public long ConnsTotal { get; init; }

    public long ConnsAsyncWaitIo { get; init; }

    public long ConnsAsyncWriting { get; init; }

    public long ConnsAsyncKeepAlive { get; init; }

    public long ConnsAsyncClosing { get; init; }

    public long TotalAccesses { get; init; }

    public long TotalBytes { get; init; }

    /// <summary>Microseconds.</summary>
    public long TotalDuration { get; init; }

    public IReadOnlyList<ProcessInfo> ProcessSlots { get; init; } = [];

    public IReadOnlyList<WorkerInfo> Workers { get; init; } = [];

    public static StatusSnapshot From(ScoreboardSnapshot s) => new()
    {
        MpmName = s.MpmName,
        ConfigGeneration = s.ConfigGeneration,
        RunningGeneration = s.RunningGeneration,
        ServerLimit = s.ConfiguredServerLimit,
        ThreadLimit = s.ConfiguredThreadLimit,
        ScoreboardProcessSlots = s.ServerLimit,
        ScoreboardThreadSlots = s.ThreadLimit,
        MaxDaemons = s.MaxDaemons,
        ThreadsPerChild = s.ThreadsPerChild,
        MaxRequestWorkers = s.MaxRequestWorkers,
        RestartTime = s.RestartTime,
        Letters = s.Letters,
        BusyWorkers = s.BusyWorkers,
        IdleWorkers = s.IdleWorkers,
        GracefulWorkers = s.GracefulWorkers,
        Processes = s.Processes,
        Stopping = s.Stopping,
        ConnsTotal = s.ConnsTotal,
        ConnsAsyncWaitIo = s.ConnsAsyncWaitIo,
        ConnsAsyncWriting = s.ConnsAsyncWriting,
        ConnsAsyncKeepAlive = s.ConnsAsyncKeepAlive,
        ConnsAsyncClosing = s.ConnsAsyncClosing,
        TotalAccesses = s.TotalAccesses,
        TotalBytes = s.TotalBytes,
        TotalDuration = s.TotalDuration,
        ProcessSlots = s.ProcessSlots,
        Workers = s.Workers,
    };
}
