using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;

namespace Pluma.Modules.Status;

/// <summary>
/// The kernel's accept queue of the server's listening sockets: connections the kernel has
/// completed that no child has accepted yet, i.e. clients waiting for a worker (prefork and
/// worker accept only for an idle worker, so under load this is where the queue is). Read from
/// /proc/net/tcp{,6}, whose LISTEN rows carry the queue length in rx_queue, for the sockets
/// this process holds open (a child holds the listeners it serves).
/// </summary>
public static class ListenBacklog
{
    private const string ListenState = "0A";

    // /proc/net/tcp walks the kernel's whole connection hash table (tens of milliseconds on a
    // loaded machine, whatever the number of sockets): one reading serves every ?json of this
    // process for most of a second, so the once-a-second live page costs one walk per second.
    private const long ReuseMs = 900;

    private static Reading? s_last;

    /// <summary>Connections in the accept queues of the listeners open here; null when /proc cannot be read or none is open.</summary>
    public static int? Read()
    {
        long now = Environment.TickCount64;
        Reading? last = Volatile.Read(ref s_last);
        if (last is not null && now - last.At < ReuseMs)
        {
            return last.Queued;
        }

        int? queued = ReadNow();
        Volatile.Write(ref s_last, new Reading(now, queued));
        return queued;
    }

    private static int? ReadNow()
    {
        try
        {
            HashSet<string> inodes = SocketInodes();
            if (inodes.Count == 0)
            {
                return null;
            }

            int queued = 0, found = 0;
            foreach (string table in (string[])["/proc/net/tcp", "/proc/net/tcp6"])
            {
                if (!File.Exists(table))
                {
                    continue;
                }

                foreach (string line in File.ReadLines(table))
                {
                    string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (f.Length < 10 || f[3] != ListenState || !inodes.Contains(f[9]))
                    {
                        continue;
                    }

                    int colon = f[4].IndexOf(':', StringComparison.Ordinal);
                    queued += int.Parse(f[4].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    found++;
                }
            }

            return found == 0 ? null : queued;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    // "socket:[12345]" links in /proc/self/fd, as inode numbers.
    private static HashSet<string> SocketInodes()
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (string fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
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

            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && target.EndsWith(']'))
            {
                inodes.Add(target[8..^1]);
            }
        }

        return inodes;
    }

    private sealed record Reading(long At, int? Queued);
}
