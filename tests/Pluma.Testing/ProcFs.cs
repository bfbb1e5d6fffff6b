using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Pluma.Testing;

/// <summary>What /proc says about a process tree: children and thread counts.</summary>
public static class ProcFs
{
    /// <summary>Direct children of <paramref name="pid"/>.</summary>
    public static IReadOnlyList<int> Children(int pid)
    {
        var result = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int child))
            {
                continue;
            }

            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // Fields after the command name (which may contain spaces) start after ')'.
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] != "Z" && int.Parse(fields[1], CultureInfo.InvariantCulture) == pid)
                {
                    result.Add(child);
                }
            }
            catch (IOException)
            {
            }
        }

        result.Sort();
        return result;
    }

    /// <summary>The arguments of <paramref name="pid"/> (argv, from /proc/PID/cmdline); empty when it is gone.</summary>
    public static string[] CommandLine(int pid)
    {
        try
        {
            string raw = File.ReadAllText($"/proc/{pid}/cmdline");
            return raw.Length == 0 ? [] : raw.TrimEnd('\0').Split('\0');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Whether <paramref name="pid"/> has exited and waits to be reaped (state Z).</summary>
    public static bool IsZombie(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Number of threads (LWPs) of <paramref name="pid"/>.</summary>
    public static int ThreadCount(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                return int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    /// <summary>The names (comm) of the threads of <paramref name="pid"/>: .NET gives a Thread's Name to the OS thread.</summary>
    public static IReadOnlyList<string> ThreadNames(int pid)
    {
        var names = new List<string>();
        foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                names.Add(File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n'));
            }
            catch (IOException)
            {
            }
        }

        return names;
    }

    /// <summary>
    /// What a failed signal test needs to say: <paramref name="pid"/>'s state and signal masks
    /// (/proc/PID/status: SigPnd, SigBlk, SigIgn, SigCgt), its threads' names and states, and its children.
    /// </summary>
    public static string DescribeForFailure(int pid)
    {
        var text = new System.Text.StringBuilder();
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("State:", StringComparison.Ordinal) || line.StartsWith("Sig", StringComparison.Ordinal)
                    || line.StartsWith("ShdPnd:", StringComparison.Ordinal) || line.StartsWith("Threads:", StringComparison.Ordinal))
                {
                    text.Append(line).Append('\n');
                }
            }

            foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                string stat = File.ReadAllText(Path.Combine(task, "stat"));
                string comm = File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
                string wchan = File.Exists(Path.Combine(task, "wchan")) ? File.ReadAllText(Path.Combine(task, "wchan")) : "";
                text.Append("task ").Append(Path.GetFileName(task)).Append(' ').Append(comm).Append(' ')
                    .Append(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0]).Append(' ').Append(wchan).Append('\n');
            }
        }
        catch (IOException e)
        {
            text.Append("(/proc/").Append(pid).Append(": ").Append(e.Message).Append(")\n");
        }

        text.Append("children: ").Append(string.Join(' ', Children(pid))).Append('\n');
        return text.ToString();
    }

    /// <summary>The value of <paramref name="name"/> in the environment <paramref name="pid"/> was started with, or null.</summary>
    public static string? EnvironmentVariable(int pid, string name)
    {
        string prefix = name + "=";
        foreach (string entry in File.ReadAllText($"/proc/{pid}/environ").Split('\0'))
        {
            if (entry.StartsWith(prefix, StringComparison.Ordinal))
            {
                return entry[prefix.Length..];
            }
        }

        return null;
    }

    /// <summary>The inodes of the TCP sockets listening on <paramref name="port"/> (/proc/net/tcp and tcp6, state 0A).</summary>
    public static IReadOnlySet<long> ListeningSocketInodes(int port)
    {
        var inodes = new HashSet<long>();
        string hexPort = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (string table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (string line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
                string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length > 9 && f[1].EndsWith(hexPort, StringComparison.Ordinal) && f[3] == "0A")
                {
                    inodes.Add(long.Parse(f[9], CultureInfo.InvariantCulture));
                }
            }
        }

        return inodes;
    }

    /// <summary>The inodes of the sockets <paramref name="pid"/> holds open (/proc/PID/fd links "socket:[N]").</summary>
    public static IReadOnlySet<long> SocketInodes(int pid)
    {
        var inodes = new HashSet<long>();
        foreach (string fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                continue;
            }

            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                inodes.Add(long.Parse(target["socket:[".Length..^1], CultureInfo.InvariantCulture));
            }
        }

        return inodes;
    }

    /// <summary>sysconf(_SC_NPROCESSORS_ONLN), from /sys/devices/system/cpu/online ("0-1,4").</summary>
    public static int OnlineCpus()
    {
        int n = 0;
        foreach (string range in File.ReadAllText("/sys/devices/system/cpu/online").Trim().Split(','))
        {
            string[] ends = range.Split('-');
            n += ends.Length == 1 ? 1 : int.Parse(ends[1], CultureInfo.InvariantCulture) - int.Parse(ends[0], CultureInfo.InvariantCulture) + 1;
        }

        return n;
    }

    /// <summary>Resident set size of <paramref name="pid"/> in KiB.</summary>
    public static long RssKiB(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    /// <summary>How many times the main thread of <paramref name="pid"/> gave up the CPU to wait (woken again each time).</summary>
    public static long VoluntarySwitches(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/task/{pid}/status"))
        {
            if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan("voluntary_ctxt_switches:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    /// <summary>
    /// Children of <paramref name="parent"/> started for an MPM generation before
    /// <paramref name="generation"/> (their PLUMA_MPM_GENERATION): the old generation a graceful
    /// restart waits out.
    /// </summary>
    public static int ChildrenOlderThan(int parent, int generation)
    {
        int n = 0;
        foreach (int pid in Children(parent))
        {
            try
            {
                string? g = EnvironmentVariable(pid, "PLUMA_MPM_GENERATION");
                if (g is not null && int.Parse(g, CultureInfo.InvariantCulture) < generation)
                {
                    n++;
                }
            }
            catch (IOException)
            {
                // Gone between the listing and the read.
            }
        }

        return n;
    }
}
