using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Pluma.Modules.Status;

/// <summary>Load averages and process CPU times from /proc, as getloadavg(3) and times(2) report them.</summary>
public static class ProcStats
{
    // USER_HZ on Linux (sysconf(_SC_CLK_TCK)).
    private const double Tick = 100.0;

    /// <summary>The 1, 5 and 15 minute load averages; -1 each when /proc/loadavg cannot be read (Apache prints -1.00).</summary>
    public static (double One, double Five, double Fifteen) LoadAverage()
    {
        try
        {
            string[] f = File.ReadAllText("/proc/loadavg").Split(' ');
            return (Parse(f[0]), Parse(f[1]), Parse(f[2]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException or FormatException)
        {
            return (-1, -1, -1);
        }
    }

    /// <summary>utime, stime, cutime, cstime in seconds, summed over <paramref name="pids"/> (gone processes count 0).</summary>
    public static (double User, double System, double ChildUser, double ChildSystem) CpuTimes(IEnumerable<int> pids)
    {
        double u = 0, s = 0, cu = 0, cs = 0;
        foreach (int pid in pids)
        {
            try
            {
                string stat = File.ReadAllText("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/stat");
                // Fields after the ")" that ends the command name: state is field 3, utime field 14.
                string[] f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                u += long.Parse(f[11], CultureInfo.InvariantCulture) / Tick;
                s += long.Parse(f[12], CultureInfo.InvariantCulture) / Tick;
                cu += long.Parse(f[13], CultureInfo.InvariantCulture) / Tick;
                cs += long.Parse(f[14], CultureInfo.InvariantCulture) / Tick;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException or FormatException or ArgumentOutOfRangeException)
            {
            }
        }

        return (u, s, cu, cs);
    }

    private static double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}
