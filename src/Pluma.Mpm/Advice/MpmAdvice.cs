using System.Collections.Generic;

namespace Pluma.Mpm.Advice;

/// <summary>One MPM's recommended settings, with the arithmetic that led to them.</summary>
public sealed record MpmRecommendation
{
    /// <summary>event, worker or prefork.</summary>
    public required string Mpm { get; init; }

    public int StartServers { get; init; }

    /// <summary>MinSpareServers (prefork) or MinSpareThreads (worker, event).</summary>
    public int MinSpare { get; init; }

    /// <summary>MaxSpareServers (prefork) or MaxSpareThreads (worker, event).</summary>
    public int MaxSpare { get; init; }

    /// <summary>ThreadLimit (worker, event; 0 for prefork, which has none).</summary>
    public int ThreadLimit { get; init; }

    /// <summary>ThreadsPerChild (1 for prefork, which writes none).</summary>
    public int ThreadsPerChild { get; init; } = 1;

    public int MaxRequestWorkers { get; init; }

    public int ServerLimit { get; init; }

    public int MaxConnectionsPerChild { get; init; }

    /// <summary>MaxRequestWorkers / ThreadsPerChild: the most children it runs.</summary>
    public int MaxChildren => MaxRequestWorkers / Math.Max(1, ThreadsPerChild);

    /// <summary>The estimated PSS of one child of this MPM, bytes.</summary>
    public long ChildBytes { get; init; }

    /// <summary>Memory with every child running: children x child + parent, bytes.</summary>
    public long MemoryBytes { get; init; }

    /// <summary>Open connections it can hold at MaxRequestWorkers (event parks keep-alive ones without a worker).</summary>
    public int ConnectionCapacity { get; init; }

    /// <summary>Whether the capacity covers the load target within the memory budget.</summary>
    public bool Fits { get; init; }

    /// <summary>The arithmetic, one line each, in the order it was done.</summary>
    public IReadOnlyList<string> Arithmetic { get; init; } = [];

    /// <summary>The directives as written to mods-available/mpm_NAME.conf, in Debian's order.</summary>
    public IReadOnlyList<(string Directive, int Value)> Directives => Mpm == "prefork"
        ?
        [
            ("StartServers", StartServers), ("MinSpareServers", MinSpare), ("MaxSpareServers", MaxSpare),
            ("ServerLimit", ServerLimit), ("MaxRequestWorkers", MaxRequestWorkers), ("MaxConnectionsPerChild", MaxConnectionsPerChild),
        ]
        :
        [
            ("StartServers", StartServers), ("MinSpareThreads", MinSpare), ("MaxSpareThreads", MaxSpare),
            ("ThreadLimit", ThreadLimit), ("ThreadsPerChild", ThreadsPerChild), ("ServerLimit", ServerLimit),
            ("MaxRequestWorkers", MaxRequestWorkers), ("MaxConnectionsPerChild", MaxConnectionsPerChild),
        ];
}

/// <summary>What <see cref="MpmAdvisor.Advise"/> answers: the budget, one recommendation per MPM, and the choice.</summary>
public sealed record MpmAdvice
{
    /// <summary>The memory the server's children may use, bytes.</summary>
    public long BudgetBytes { get; init; }

    /// <summary>The connections the recommendations are sized for.</summary>
    public int TargetConnections { get; init; }

    /// <summary>The lines that explain the budget and the target.</summary>
    public IReadOnlyList<string> Basis { get; init; } = [];

    /// <summary>Caveats: no load observed yet, no child measured, memory tight.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>prefork, worker, event, in that order.</summary>
    public IReadOnlyList<MpmRecommendation> Recommendations { get; init; } = [];

    /// <summary>The MPM that fits this load best.</summary>
    public string Best { get; init; } = "event";

    /// <summary>Why <see cref="Best"/>.</summary>
    public string Reason { get; init; } = string.Empty;

    /// <summary>The recommendation for <paramref name="mpm"/>.</summary>
    public MpmRecommendation For(string mpm)
    {
        foreach (MpmRecommendation r in Recommendations)
        {
            if (r.Mpm == mpm)
            {
                return r;
            }
        }

        throw new ArgumentException("no advice for MPM " + mpm, nameof(mpm));
    }
}
