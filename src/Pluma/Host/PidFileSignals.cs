using System.Globalization;
using System.IO;

namespace Pluma.Host;

/// <summary>
/// apache2 -k: find the running parent through the PidFile and signal it, with Apache's
/// messages (main.c / mpm_common.c ap_signal_server), Pluma's name in place of httpd's.
/// </summary>
internal static class PidFileSignals
{
    public const int SIGHUP = 1, SIGTERM = 15, SIGUSR1 = 10, SIGWINCH = 28;

    /// <summary>The running parent's pid, or null (with the reason Apache prints).</summary>
    public static int? RunningPid(string pidFile, out string notRunning)
    {
        notRunning = "pluma (no pid file) not running";
        if (!File.Exists(pidFile))
        {
            return null;
        }

        string text = File.ReadAllText(pidFile).Trim();
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0)
        {
            return null;
        }

        // kill(pid, 0): is a process with that pid alive (and ours to signal)?
        if (Native.kill(pid, 0) != 0)
        {
            notRunning = "pluma (pid " + text + "?) not running";
            return null;
        }

        return pid;
    }

    /// <summary>Handles -k stop|restart|graceful|graceful-stop; returns null for start (the caller starts).</summary>
    public static int? Signal(string verb, string pidFile, TextWriter err, out bool mustStart)
    {
        mustStart = false;
        int? pid = RunningPid(pidFile, out string notRunning);
        switch (verb)
        {
            case "start":
                if (pid is int running)
                {
                    err.WriteLine("pluma (pid " + running.ToString(CultureInfo.InvariantCulture) + ") already running");
                    return 0;
                }

                mustStart = true;
                return null;
            case "stop":
            case "graceful-stop":
                if (pid is null)
                {
                    err.WriteLine(notRunning);
                    return 0;
                }

                Native.kill(pid.Value, verb == "stop" ? SIGTERM : SIGWINCH);
                return 0;
            case "restart":
            case "graceful":
                if (pid is null)
                {
                    // Apache says it (twice, as it parses the configuration twice) and starts.
                    err.WriteLine("pluma not running, trying to start");
                    mustStart = true;
                    return null;
                }

                Native.kill(pid.Value, verb == "restart" ? SIGHUP : SIGUSR1);
                return 0;
            default:
                return -1;
        }
    }
}
