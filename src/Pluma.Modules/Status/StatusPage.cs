using System.Globalization;
using System.Text;
using Pluma.Scoreboard;

namespace Pluma.Modules.Status;

/// <summary>
/// mod_status's page as a pure function of the scoreboard and the request: the HTML form, the
/// ?auto form and ?notable, with Apache's field names, order and number formats.
/// </summary>
public static class StatusPage
{
    private const long KByte = 1024;
    private const long MByte = 1024 * 1024;
    private const long GByte = 1024 * 1024 * 1024;
    private const int MaxLine = 64;

    public static string Render(StatusSnapshot s, StatusPageRequest q) => q.Auto ? RenderAuto(s, q) : RenderHtml(s, q);

    /// <summary>" 1 day 2 hours 5 seconds": show_time, zero units left out, each with a leading space.</summary>
    public static string Uptime(long seconds)
    {
        var sb = new StringBuilder();
        long days = seconds / 86400, hrs = seconds / 3600 % 24, mins = seconds / 60 % 60, secs = seconds % 60;
        Unit(sb, days, "day");
        Unit(sb, hrs, "hour");
        Unit(sb, mins, "minute");
        Unit(sb, secs, "second");
        return sb.ToString();
    }

    /// <summary>format_byte_out: "N B", "N.N kB", "N.N MB", "N.N GB".</summary>
    public static string Bytes(long bytes) =>
        bytes < 5 * KByte ? bytes.ToString(CultureInfo.InvariantCulture) + " B"
        : bytes < MByte / 2 ? CFormat.F((float)bytes / KByte, 1) + " kB"
        : bytes < GByte / 2 ? CFormat.F((float)bytes / MByte, 1) + " MB"
        : CFormat.F((float)bytes / GByte, 1) + " GB";

    /// <summary>format_kbyte_out.</summary>
    public static string KBytes(long kbytes) =>
        kbytes < KByte ? kbytes.ToString(CultureInfo.InvariantCulture) + " kB"
        : kbytes < MByte ? CFormat.F((float)kbytes / KByte, 1) + " MB"
        : CFormat.F((float)kbytes / MByte, 1) + " GB";

    /// <summary>DEFAULT_TIME_FORMAT "%A, %d-%b-%Y %H:%M:%S %Z".</summary>
    public static string Time(DateTimeOffset t) =>
        t.ToString("dddd, dd-MMM-yyyy HH:mm:ss ", CultureInfo.InvariantCulture) + (t.Offset == TimeSpan.Zero ? "UTC" : ZoneName(t));

    private static string ZoneName(DateTimeOffset t)
    {
        TimeZoneInfo tz = TimeZoneInfo.Local;
        string name = tz.IsDaylightSavingTime(t) ? tz.DaylightName : tz.StandardName;
        return name.Length <= 5 ? name : (t.Offset < TimeSpan.Zero ? "-" : "+") + t.Offset.ToString("hhmm", CultureInfo.InvariantCulture);
    }

    private static void Unit(StringBuilder sb, long n, string unit)
    {
        if (n != 0)
        {
            sb.Append(' ').Append(n.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(unit).Append(n == 1 ? string.Empty : "s");
        }
    }

    internal static long UpSeconds(StatusPageRequest q) => Math.Max(0, (long)(q.Now - q.RestartTime).TotalSeconds);

    private static bool IsAsync(StatusSnapshot s) => s.MpmName == "event";

    private static string RenderAuto(StatusSnapshot s, StatusPageRequest q)
    {
        var sb = new StringBuilder(1024);
        long up = UpSeconds(q);
        sb.Append(q.ServerName).Append('\n');
        sb.Append("ServerVersion: ").Append(q.ServerVersion).Append('\n');
        sb.Append("ServerMPM: ").Append(s.MpmName).Append('\n');
        sb.Append("Server Built: ").Append(q.ServerBuilt).Append('\n');
        sb.Append("CurrentTime: ").Append(Time(q.Now)).Append('\n');
        sb.Append("RestartTime: ").Append(Time(q.RestartTime)).Append('\n');
        sb.Append("ParentServerConfigGeneration: ").Append(s.ConfigGeneration).Append('\n');
        sb.Append("ParentServerMPMGeneration: ").Append(s.RunningGeneration).Append('\n');
        sb.Append("ServerUptimeSeconds: ").Append(up).Append('\n');
        sb.Append("ServerUptime:").Append(Uptime(up)).Append('\n');
        sb.Append("Load1: ").Append(CFormat.F(q.Load1, 2)).Append('\n');
        sb.Append("Load5: ").Append(CFormat.F(q.Load5, 2)).Append('\n');
        sb.Append("Load15: ").Append(CFormat.F(q.Load15, 2)).Append('\n');
        if (q.ExtendedStatus)
        {
            long count = s.TotalAccesses;
            long kb = s.TotalBytes / KByte;
            sb.Append("Total Accesses: ").Append(count).Append('\n');
            sb.Append("Total kBytes: ").Append(kb).Append('\n');
            sb.Append("Total Duration: ").Append(s.TotalDuration / 1000).Append('\n');
            sb.Append("CPUUser: ").Append(CFormat.G(q.CpuUser)).Append('\n');
            sb.Append("CPUSystem: ").Append(CFormat.G(q.CpuSystem)).Append('\n');
            sb.Append("CPUChildrenUser: ").Append(CFormat.G(q.CpuChildrenUser)).Append('\n');
            sb.Append("CPUChildrenSystem: ").Append(CFormat.G(q.CpuChildrenSystem)).Append('\n');
            double cpu = q.CpuUser + q.CpuSystem + q.CpuChildrenUser + q.CpuChildrenSystem;
            if (cpu > 0 && up > 0)
            {
                sb.Append("CPULoad: ").Append(CFormat.G(cpu / up * 100.0)).Append('\n');
            }

            sb.Append("Uptime: ").Append(up).Append('\n');
            if (up > 0)
            {
                sb.Append("ReqPerSec: ").Append(CFormat.G((float)count / up)).Append('\n');
                sb.Append("BytesPerSec: ").Append(CFormat.G(KByte * (float)kb / up)).Append('\n');
            }

            if (count > 0)
            {
                sb.Append("BytesPerReq: ").Append(CFormat.G(KByte * (float)kb / count)).Append('\n');
                sb.Append("DurationPerReq: ").Append(CFormat.G((float)s.TotalDuration / count / 1000.0)).Append('\n');
            }
        }

        sb.Append("BusyWorkers: ").Append(s.BusyWorkers).Append('\n');
        sb.Append("GracefulWorkers: ").Append(s.GracefulWorkers).Append('\n');
        sb.Append("IdleWorkers: ").Append(s.IdleWorkers).Append('\n');
        if (IsAsync(s))
        {
            sb.Append("Processes: ").Append(s.Processes).Append('\n');
            sb.Append("Stopping: ").Append(s.Stopping).Append('\n');
            sb.Append("ConnsTotal: ").Append(s.ConnsTotal).Append('\n');
            sb.Append("ConnsAsyncWaitIO: ").Append(s.ConnsAsyncWaitIo).Append('\n');
            sb.Append("ConnsAsyncWriting: ").Append(s.ConnsAsyncWriting).Append('\n');
            sb.Append("ConnsAsyncKeepAlive: ").Append(s.ConnsAsyncKeepAlive).Append('\n');
            sb.Append("ConnsAsyncClosing: ").Append(s.ConnsAsyncClosing).Append('\n');
        }

        sb.Append("Scoreboard: ").Append(s.Letters).Append('\n');
        sb.Append(q.Extensions);
        return sb.ToString();
    }

    private static string RenderHtml(StatusSnapshot s, StatusPageRequest q)
    {
        var sb = new StringBuilder(4096);
        long up = UpSeconds(q);
        sb.Append("<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"http://www.w3.org/TR/html4/strict.dtd\">\n");
        sb.Append("<html><head>\n<title>Apache Status</title>\n</head><body>\n");
        sb.Append("<h1>Apache Server Status for ").Append(Html(q.ServerName)).Append(" (via ").Append(q.LocalIp).Append(")</h1>\n\n");
        sb.Append("<dl><dt>Server Version: ").Append(q.ServerVersion).Append("</dt>\n");
        sb.Append("<dt>Server MPM: ").Append(s.MpmName).Append("</dt>\n");
        sb.Append("<dt>Server Built: ").Append(q.ServerBuilt).Append("\n</dt></dl><hr /><dl>\n");
        sb.Append("<dt>Current Time: ").Append(Time(q.Now)).Append("</dt>\n");
        sb.Append("<dt>Restart Time: ").Append(Time(q.RestartTime)).Append("</dt>\n");
        sb.Append("<dt>Parent Server Config. Generation: ").Append(s.ConfigGeneration).Append("</dt>\n");
        sb.Append("<dt>Parent Server MPM Generation: ").Append(s.RunningGeneration).Append("</dt>\n");
        sb.Append("<dt>Server uptime: ").Append(Uptime(up)).Append("</dt>\n");
        sb.Append("<dt>Server load: ").Append(CFormat.F(q.Load1, 2)).Append(' ').Append(CFormat.F(q.Load5, 2)).Append(' ').Append(CFormat.F(q.Load15, 2)).Append("</dt>\n");
        if (q.ExtendedStatus)
        {
            long count = s.TotalAccesses;
            long kb = s.TotalBytes / KByte;
            sb.Append("<dt>Total accesses: ").Append(count).Append(" - Total Traffic: ").Append(KBytes(kb))
              .Append(" - Total Duration: ").Append(s.TotalDuration / 1000).Append("</dt>\n");
            sb.Append("<dt>CPU Usage: u").Append(CFormat.G(q.CpuUser)).Append(" s").Append(CFormat.G(q.CpuSystem))
              .Append(" cu").Append(CFormat.G(q.CpuChildrenUser)).Append(" cs").Append(CFormat.G(q.CpuChildrenSystem));
            double cpu = q.CpuUser + q.CpuSystem + q.CpuChildrenUser + q.CpuChildrenSystem;
            if (cpu > 0 && up > 0)
            {
                sb.Append(" - ").Append(CFormat.G(cpu / up * 100.0, 3)).Append("% CPU load");
            }

            sb.Append("</dt>\n<dt>");
            if (up > 0)
            {
                sb.Append(CFormat.G((float)count / up, 3)).Append(" requests/sec - ")
                  .Append(Bytes((long)(KByte * (float)kb / up))).Append("/second");
            }

            if (up > 0 && count > 0)
            {
                sb.Append(" - ");
            }

            if (count > 0)
            {
                sb.Append(Bytes((long)(KByte * (float)kb / count))).Append("/request - ")
                  .Append(CFormat.G((float)s.TotalDuration / count / 1000.0)).Append(" ms/request");
            }

            sb.Append("</dt>\n");
        }

        sb.Append("<dt>").Append(s.BusyWorkers).Append(" requests currently being processed, ")
          .Append(s.GracefulWorkers).Append(" workers gracefully restarting, ")
          .Append(s.IdleWorkers).Append(" idle workers</dt>\n</dl>\n");
        if (IsAsync(s))
        {
            ProcessTable(sb, s);
        }

        sb.Append("<pre>");
        for (int i = 0; i < s.Letters.Length; i++)
        {
            sb.Append(s.Letters[i]);
            if (i % MaxLine == MaxLine - 1)
            {
                sb.Append('\n');
            }
        }

        sb.Append("</pre>\n");
        sb.Append("<p>Scoreboard Key:<br />\n")
          .Append("\"<b><code>_</code></b>\" Waiting for Connection, \n")
          .Append("\"<b><code>S</code></b>\" Starting up, \n")
          .Append("\"<b><code>R</code></b>\" Reading Request,<br />\n")
          .Append("\"<b><code>W</code></b>\" Sending Reply, \n")
          .Append("\"<b><code>K</code></b>\" Keepalive (read), \n")
          .Append("\"<b><code>D</code></b>\" DNS Lookup,<br />\n")
          .Append("\"<b><code>C</code></b>\" Closing connection, \n")
          .Append("\"<b><code>L</code></b>\" Logging, \n")
          .Append("\"<b><code>G</code></b>\" Gracefully finishing,<br /> \n")
          .Append("\"<b><code>I</code></b>\" Idle cleanup of worker, \n")
          .Append("\"<b><code>.</code></b>\" Open slot with no current process<br />\n")
          .Append("</p>\n");
        if (q.ExtendedStatus)
        {
            WorkerDetails(sb, s, q);
        }

        sb.Append(q.Extensions);
        sb.Append(q.Signature);
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private static void ProcessTable(StringBuilder sb, StatusSnapshot s)
    {
        sb.Append("\n<table rules=\"all\" cellpadding=\"1%\">\n")
          .Append("<tr><th rowspan=\"2\">Slot</th><th rowspan=\"2\">PID</th><th rowspan=\"2\">Stopping</th><th colspan=\"2\">Connections</th>\n")
          .Append("<th colspan=\"3\">Threads</th><th colspan=\"4\">Async connections</th></tr>\n")
          .Append("<tr><th>total</th><th>accepting</th><th>busy</th><th>graceful</th><th>idle</th><th>wait-io</th><th>writing</th><th>keep-alive</th><th>closing</th></tr>\n");
        long procs = 0, stopping = 0, conns = 0, busy = 0, graceful = 0, idle = 0, waitIo = 0, writing = 0, keepAlive = 0, closing = 0;
        foreach (ProcessInfo p in s.ProcessSlots)
        {
            sb.Append("<tr><td>").Append(p.Slot).Append("</td><td>").Append(p.Pid).Append("</td><td>")
              .Append(p.Quiescing ? "yes" : "no").Append(p.Generation != s.RunningGeneration ? " (old gen)" : string.Empty)
              .Append("</td><td>").Append(p.Connections).Append("</td><td>").Append(p.NotAccepting ? "no" : "yes")
              .Append("</td><td>").Append(p.BusyThreads).Append("</td><td>").Append(p.GracefulThreads).Append("</td><td>").Append(p.IdleThreads)
              .Append("</td><td>").Append(p.WaitIo).Append("</td><td>").Append(p.WriteCompletion).Append("</td><td>").Append(p.KeepAlive)
              .Append("</td><td>").Append(p.LingeringClose).Append("</td></tr>\n");
            procs++;
            stopping += p.Quiescing ? 1 : 0;
            conns += p.Connections;
            busy += p.BusyThreads;
            graceful += p.GracefulThreads;
            idle += p.IdleThreads;
            waitIo += p.WaitIo;
            writing += p.WriteCompletion;
            keepAlive += p.KeepAlive;
            closing += p.LingeringClose;
        }

        sb.Append("<tr><td>Sum</td><td>").Append(procs).Append("</td><td>").Append(stopping).Append("</td><td>").Append(conns)
          .Append("</td><td>&nbsp;</td><td>").Append(busy).Append("</td><td>").Append(graceful).Append("</td><td>").Append(idle)
          .Append("</td><td>").Append(waitIo).Append("</td><td>").Append(writing).Append("</td><td>").Append(keepAlive)
          .Append("</td><td>").Append(closing).Append("</td></tr>\n</table>\n");
    }

    private static void WorkerDetails(StringBuilder sb, StatusSnapshot s, StatusPageRequest q)
    {
        long nowMicros = (q.Now.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
        if (q.NoTable)
        {
            sb.Append("<hr /><h2>Server Details</h2>\n\n");
        }
        else
        {
            sb.Append("\n\n<table border=\"0\"><tr><th>Srv</th><th>PID</th><th>Acc</th><th>M</th><th>CPU\n</th><th>SS</th><th>Req</th><th>Dur</th>")
              .Append("<th>Conn</th><th>Child</th><th>Slot</th><th>Client</th><th>Protocol</th><th>VHost</th><th>Request</th></tr>\n\n");
        }

        foreach (WorkerInfo w in s.Workers)
        {
            if (w.AccessCount == 0 && (w.Status == ScoreState.Ready || w.Status == ScoreState.Dead))
            {
                continue;
            }

            long reqTime = w.StartTime == 0 ? 0 : Math.Max(0, (w.StopTime - w.StartTime) / 1000);
            long ss = w.LastUsed == 0 ? 0 : Math.Max(0, (nowMicros - w.LastUsed) / 1_000_000);
            string pid = w.Status == ScoreState.Dead ? "-" : w.Pid.ToString(CultureInfo.InvariantCulture);
            if (q.NoTable)
            {
                sb.Append("<b>Server ").Append(w.Slot).Append('-').Append(w.Generation).Append("</b> (").Append(pid).Append("): ")
                  .Append(w.ConnCount).Append('|').Append(w.MyAccessCount).Append('|').Append(w.AccessCount).Append(" [")
                  .Append(StateWord(w.Status)).Append("] u0 s0 cu0 cs0\n ").Append(ss).Append(' ').Append(reqTime).Append(' ')
                  .Append(w.Duration / 1000).Append('(').Append(Bytes(w.ConnBytes)).Append('|').Append(Bytes(w.MyBytesServed))
                  .Append('|').Append(Bytes(w.BytesServed)).Append(")\n <i>").Append(Html(w.Client)).Append(" {")
                  .Append(Html(w.Request)).Append("}</i> <i>(").Append(Html(w.Protocol)).Append(")</i> <b>[")
                  .Append(Html(w.Vhost)).Append("]</b><br />\n\n");
                continue;
            }

            sb.Append("<tr><td><b>").Append(w.Slot).Append('-').Append(w.Generation).Append("</b></td><td>").Append(pid)
              .Append("</td><td>").Append(w.ConnCount).Append('/').Append(w.MyAccessCount).Append('/').Append(w.AccessCount)
              .Append("</td><td>").Append(w.Status == ScoreState.Ready ? "_" : w.Status == ScoreState.Dead ? "." : "<b>" + w.Letter + "</b>")
              .Append("\n</td><td>0.00</td><td>").Append(ss).Append("</td><td>").Append(reqTime).Append("</td><td>").Append(w.Duration / 1000)
              .Append("</td><td>").Append(CFormat.F((float)w.ConnBytes / KByte, 1))
              .Append("</td><td>").Append(CFormat.F((float)w.MyBytesServed / MByte, 2))
              .Append("</td><td>").Append(CFormat.F((float)w.BytesServed / MByte, 2))
              .Append("\n</td><td>").Append(Html(w.Client)).Append("</td><td>").Append(Html(w.Protocol))
              .Append("</td><td nowrap>").Append(Html(w.Vhost)).Append("</td><td nowrap>").Append(Html(w.Request)).Append("</td></tr>\n\n");
        }

        if (!q.NoTable)
        {
            sb.Append("</table>\n <hr /> <table>\n")
              .Append(" <tr><th>Srv</th><td>Child Server number - generation</td></tr>\n")
              .Append(" <tr><th>PID</th><td>OS process ID</td></tr>\n")
              .Append(" <tr><th>Acc</th><td>Number of accesses this connection / this child / this slot</td></tr>\n")
              .Append(" <tr><th>M</th><td>Mode of operation</td></tr>\n")
              .Append("<tr><th>CPU</th><td>CPU usage, number of seconds</td></tr>\n")
              .Append("<tr><th>SS</th><td>Seconds since beginning of most recent request</td></tr>\n")
              .Append(" <tr><th>Req</th><td>Milliseconds required to process most recent request</td></tr>\n")
              .Append(" <tr><th>Dur</th><td>Sum of milliseconds required to process all requests</td></tr>\n")
              .Append(" <tr><th>Conn</th><td>Kilobytes transferred this connection</td></tr>\n")
              .Append(" <tr><th>Child</th><td>Megabytes transferred this child</td></tr>\n")
              .Append(" <tr><th>Slot</th><td>Total megabytes transferred this slot</td></tr>\n")
              .Append(" </table>\n");
        }
    }

    private static string StateWord(byte status) => status switch
    {
        ScoreState.Ready => "Ready",
        ScoreState.Starting => "Starting",
        ScoreState.BusyRead => "<b>Read</b>",
        ScoreState.BusyWrite => "<b>Write</b>",
        ScoreState.BusyKeepAlive => "<b>Keepalive</b>",
        ScoreState.BusyLog => "<b>Logging</b>",
        ScoreState.BusyDns => "<b>DNS lookup</b>",
        ScoreState.Closing => "<b>Closing</b>",
        ScoreState.Dead => "Dead",
        ScoreState.Graceful => "Graceful",
        ScoreState.IdleKill => "Dying",
        _ => "?STATE?",
    };

    // ap_escape_html: the four characters HTML needs, nothing else.
    private static string Html(string s)
    {
        if (s.AsSpan().IndexOfAny("<>&\"") < 0)
        {
            return s;
        }

        return s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);
    }
}
