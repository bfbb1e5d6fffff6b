using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Pluma.Mpm.Advice;
using Pluma.Scoreboard;

namespace Pluma.Host;

/// <summary>
/// What <c>pluma -k advise</c> measures: the PSS of the running parent and of its children
/// (/proc/PID/smaps_rollup), the machine's memory (/proc/meminfo) and online CPUs, and the load
/// the parent's maintenance loop kept in the scoreboard (<see cref="LoadObserver"/>).
/// </summary>
internal static class AdviseMeasurements
{
    /// <summary>The advisor's inputs for the server whose parent is <paramref name="parentPid"/>.</summary>
    public static AdviceInputs Measure(Scoreboard.Scoreboard board, int parentPid, double ramShare, out IReadOnlyList<(int Pid, long Pss)> children)
    {
        var measured = new List<(int, long)>();
        for (int i = 0; i < board.ServerLimit; i++)
        {
            int pid = board.Process(i).Pid;
            // Only the parent's own children: a slot may name a pid that has since been reused.
            if (pid > 0 && ParentOf(pid) == parentPid && PssBytes(pid) is long pss)
            {
                measured.Add((pid, pss));
            }
        }

        children = measured;
        long sum = 0, max = 0;
        foreach ((int _, long pss) in measured)
        {
            sum += pss;
            max = Math.Max(max, pss);
        }

        (long total, long available) = MemInfo();
        ref GlobalScore g = ref board.Global;
        return new AdviceInputs
        {
            MemTotalBytes = total,
            MemAvailableBytes = available,
            OnlineCpus = OnlineCpus(),
            MeasuredMpm = board.MpmName,
            MeasuredThreadsPerChild = Math.Max(1, g.ThreadsPerChild),
            ChildrenMeasured = measured.Count,
            ChildPssBytes = measured.Count > 0 ? sum / measured.Count : 0,
            ChildPssMaxBytes = max,
            ParentPssBytes = PssBytes(parentPid) ?? 0,
            LoadSamples = g.LoadSamples,
            PeakBusyWorkers = g.PeakBusyWorkers,
            PeakConnections = g.PeakConnections,
            KeepAliveShare = g.ConnectionSamples > 0 ? g.KeepAliveSamples / (double)g.ConnectionSamples : 0,
            RamShare = ramShare,
        };
    }

    /// <summary>The Pss line of /proc/PID/smaps_rollup, bytes; null when it cannot be read (gone, or not ours).</summary>
    public static long? PssBytes(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
            {
                if (line.StartsWith("Pss:", StringComparison.Ordinal))
                {
                    return Kilobytes(line) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    /// <summary>The parent pid in /proc/PID/stat (after the command name, which may hold spaces).</summary>
    public static int ParentOf(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(rest[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return -1;
        }
    }

    /// <summary>MemTotal and MemAvailable of /proc/meminfo, bytes.</summary>
    public static (long Total, long Available) MemInfo()
    {
        long total = 0, available = 0;
        foreach (string line in File.ReadLines("/proc/meminfo"))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                total = Kilobytes(line) * 1024;
            }
            else if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
            {
                available = Kilobytes(line) * 1024;
            }
        }

        return (total, available);
    }

    /// <summary>The CPUs in /sys/devices/system/cpu/online ("0-3,6"), else the runtime's count.</summary>
    public static int OnlineCpus()
    {
        try
        {
            int n = 0;
            foreach (string range in File.ReadAllText("/sys/devices/system/cpu/online").Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] ends = range.Split('-');
                n += ends.Length == 2 ? int.Parse(ends[1], CultureInfo.InvariantCulture) - int.Parse(ends[0], CultureInfo.InvariantCulture) + 1 : 1;
            }

            return n > 0 ? n : Environment.ProcessorCount;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return Environment.ProcessorCount;
        }
    }

    private static long Kilobytes(string line)
    {
        string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kb) ? kb : 0;
    }
}
