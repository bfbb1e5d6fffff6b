using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Pluma.Mpm.Advice;
using Pluma.Scoreboard;

namespace Pluma.Host;

/// <summary><c>pluma -k advise</c>'s text: what was measured, the basis, each MPM's settings and arithmetic, the choice.</summary>
internal static class AdviseReport
{
    public static void Write(TextWriter w, string serverRoot, int parentPid, Scoreboard.Scoreboard board, AdviceInputs m, IReadOnlyList<(int Pid, long Pss)> children, MpmAdvice advice)
    {
        ref GlobalScore g = ref board.Global;
        w.WriteLine($"Pluma MPM advice for {serverRoot} (mpm_{m.MeasuredMpm} running, parent pid {N(parentPid)})");
        w.WriteLine();
        w.WriteLine("Measured");
        w.WriteLine($"  machine: {N(m.OnlineCpus)} online CPUs, MemTotal {MpmAdvisor.Mib(m.MemTotalBytes)}, MemAvailable {MpmAdvisor.Mib(m.MemAvailableBytes)}");
        var pids = new List<string>();
        foreach ((int pid, long pss) in children)
        {
            pids.Add($"{N(pid)} {MpmAdvisor.Mib(pss)}");
        }

        w.WriteLine(m.ChildrenMeasured > 0
            ? $"  children: {N(m.ChildrenMeasured)} of mpm_{m.MeasuredMpm} ({N(m.MeasuredThreadsPerChild)} threads each), PSS mean {MpmAdvisor.Mib(m.ChildPssBytes)}, largest {MpmAdvisor.Mib(m.ChildPssMaxBytes)} ({string.Join(", ", pids)}); parent PSS {MpmAdvisor.Mib(m.ParentPssBytes)}"
            : $"  children: none could be measured; parent PSS {MpmAdvisor.Mib(m.ParentPssBytes)}");
        string since = g.ObservedSince > 0 ? " since " + Time(g.ObservedSince) : string.Empty;
        string peakAt = g.PeakTime > 0 ? " at " + Time(g.PeakTime) : string.Empty;
        w.WriteLine($"  load: peak {N(m.PeakBusyWorkers)} busy workers{peakAt}, peak {N(m.PeakConnections)} connections, keep-alive share {(m.KeepAliveShare * 100).ToString("0", CultureInfo.InvariantCulture) + "%"}, "
            + $"{N(m.LoadSamples)} s observed{since}");
        w.WriteLine();
        w.WriteLine("Basis");
        foreach (string line in advice.Basis)
        {
            w.WriteLine("  " + line);
        }

        if (advice.Notes.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("Notes");
            foreach (string line in advice.Notes)
            {
                w.WriteLine("  " + line);
            }
        }

        foreach (MpmRecommendation r in advice.Recommendations)
        {
            w.WriteLine();
            w.WriteLine($"{r.Mpm}{(r.Fits ? string.Empty : " (does not fit)")}: uses {MpmAdvisor.Mib(r.MemoryBytes)} at MaxRequestWorkers, holds {N(r.ConnectionCapacity)} connections");
            foreach ((string directive, int value) in r.Directives)
            {
                w.WriteLine($"  {directive,-24}{N(value)}");
            }

            foreach (string line in r.Arithmetic)
            {
                w.WriteLine("    " + line);
            }
        }

        w.WriteLine();
        w.WriteLine($"Fits this load: {advice.Best}: {advice.Reason}");
    }

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Time(long unixMicros) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMicros / 1000).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
