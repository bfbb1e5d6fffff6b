using System.Buffers;
using System.Collections.Generic;
using System.Text.Json;
using Pluma.Scoreboard;

namespace Pluma.Modules.Status;

/// <summary>
/// <c>server-status?json</c>: the scoreboard as JSON, with the numbers the HTML and <c>?auto</c>
/// forms print (same names where <c>?auto</c> has one, camel-cased) plus what they leave out:
/// the limits, every process slot and every worker slot, and the queues. Written with
/// <see cref="Utf8JsonWriter"/> (no reflection: the server is NativeAOT). The format is
/// described in this folder's README.md.
/// </summary>
public static class StatusJson
{
    /// <summary>Bumped when a field changes meaning or goes away (adding one does not).</summary>
    public const int FormatVersion = 1;

    public static byte[] Render(StatusSnapshot s, StatusPageRequest q)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("format", FormatVersion);
            Server(w, s, q);
            Limits(w, s);
            Counters(w, s, q);
            Queue(w, s, q);
            w.WriteString("scoreboard", s.Letters);
            Processes(w, s);
            Workers(w, s, q);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Server(Utf8JsonWriter w, StatusSnapshot s, StatusPageRequest q)
    {
        long up = StatusPage.UpSeconds(q);
        w.WriteString("serverName", q.ServerName);
        w.WriteString("serverVersion", q.ServerVersion);
        w.WriteString("serverMpm", s.MpmName);
        w.WriteString("serverBuilt", q.ServerBuilt);
        w.WriteNumber("currentTime", q.Now.ToUnixTimeMilliseconds());
        w.WriteNumber("restartTime", q.RestartTime.ToUnixTimeMilliseconds());
        w.WriteNumber("parentServerConfigGeneration", s.ConfigGeneration);
        w.WriteNumber("parentServerMpmGeneration", s.RunningGeneration);
        w.WriteStartArray("generations");
        foreach (int g in Generations(s))
        {
            w.WriteNumberValue(g);
        }

        w.WriteEndArray();
        w.WriteNumber("serverUptimeSeconds", up);
        w.WriteStartArray("load");
        w.WriteNumberValue(q.Load1);
        w.WriteNumberValue(q.Load5);
        w.WriteNumberValue(q.Load15);
        w.WriteEndArray();
        w.WriteBoolean("extendedStatus", q.ExtendedStatus);
    }

    private static void Limits(Utf8JsonWriter w, StatusSnapshot s)
    {
        w.WriteStartObject("limits");
        w.WriteNumber("serverLimit", s.ServerLimit);
        w.WriteNumber("threadLimit", s.ThreadLimit);
        w.WriteNumber("maxDaemons", s.MaxDaemons);
        w.WriteNumber("threadsPerChild", s.ThreadsPerChild);
        w.WriteNumber("maxRequestWorkers", s.MaxRequestWorkers);
        w.WriteNumber("scoreboardProcessSlots", s.ScoreboardProcessSlots);
        w.WriteNumber("scoreboardThreadSlots", s.ScoreboardThreadSlots);
        w.WriteEndObject();
    }

    private static void Counters(Utf8JsonWriter w, StatusSnapshot s, StatusPageRequest q)
    {
        if (q.ExtendedStatus)
        {
            w.WriteNumber("totalAccesses", s.TotalAccesses);
            w.WriteNumber("totalKBytes", s.TotalBytes / 1024);
            w.WriteNumber("totalDuration", s.TotalDuration / 1000);
            w.WriteStartObject("cpu");
            w.WriteNumber("user", q.CpuUser);
            w.WriteNumber("system", q.CpuSystem);
            w.WriteNumber("childrenUser", q.CpuChildrenUser);
            w.WriteNumber("childrenSystem", q.CpuChildrenSystem);
            w.WriteEndObject();
        }

        w.WriteNumber("busyWorkers", s.BusyWorkers);
        w.WriteNumber("gracefulWorkers", s.GracefulWorkers);
        w.WriteNumber("idleWorkers", s.IdleWorkers);
        w.WriteNumber("processes", s.Processes);
        w.WriteNumber("stopping", s.Stopping);
        if (s.MpmName == "event")
        {
            w.WriteStartObject("conns");
            w.WriteNumber("total", s.ConnsTotal);
            w.WriteNumber("asyncWaitIo", s.ConnsAsyncWaitIo);
            w.WriteNumber("asyncWriting", s.ConnsAsyncWriting);
            w.WriteNumber("asyncKeepAlive", s.ConnsAsyncKeepAlive);
            w.WriteNumber("asyncClosing", s.ConnsAsyncClosing);
            w.WriteEndObject();
        }
    }

    private static void Queue(Utf8JsonWriter w, StatusSnapshot s, StatusPageRequest q)
    {
        long queued = 0;
        foreach (ProcessInfo p in s.ProcessSlots)
        {
            queued += p.Queued;
        }

        w.WriteStartObject("queue");
        w.WriteNumber("workerQueue", queued);
        if (q.ListenBacklog is int backlog)
        {
            w.WriteNumber("listenBacklog", backlog);
        }
        else
        {
            w.WriteNull("listenBacklog");
        }

        w.WriteEndObject();
    }

    private static void Processes(Utf8JsonWriter w, StatusSnapshot s)
    {
        w.WriteStartArray("processSlots");
        foreach (ProcessInfo p in s.ProcessSlots)
        {
            w.WriteStartObject();
            w.WriteNumber("slot", p.Slot);
            w.WriteNumber("pid", p.Pid);
            w.WriteNumber("generation", p.Generation);
            w.WriteBoolean("oldGeneration", p.Generation != s.RunningGeneration);
            w.WriteString("state", p.Quiescing ? (p.ListenersClosed ? "draining" : "stopping") : p.NotAccepting ? "full" : "serving");
            w.WriteBoolean("stopping", p.Quiescing);
            w.WriteBoolean("accepting", !p.NotAccepting && !p.ListenersClosed);
            w.WriteBoolean("listenersClosed", p.ListenersClosed);
            w.WriteNumber("startTime", p.StartTime / 1000);
            w.WriteNumber("connections", p.Connections);
            w.WriteNumber("keepAlive", p.KeepAlive);
            w.WriteNumber("lingering", p.LingeringClose);
            w.WriteNumber("writing", p.WriteCompletion);
            w.WriteNumber("waitIo", p.WaitIo);
            w.WriteNumber("suspended", p.Suspended);
            w.WriteNumber("queued", p.Queued);
            w.WriteNumber("busy", p.BusyThreads);
            w.WriteNumber("graceful", p.GracefulThreads);
            w.WriteNumber("idle", p.IdleThreads);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void Workers(Utf8JsonWriter w, StatusSnapshot s, StatusPageRequest q)
    {
        long nowMicros = (q.Now.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
        w.WriteStartArray("workerSlots");
        foreach (WorkerInfo x in s.Workers)
        {
            w.WriteStartObject();
            w.WriteNumber("slot", x.Slot);
            w.WriteNumber("thread", x.Thread);
            w.WriteString("state", [x.Letter]);
            w.WriteNumber("pid", x.Status == ScoreState.Dead ? 0 : x.Pid);
            w.WriteNumber("generation", x.Generation);
            if (q.ExtendedStatus)
            {
                w.WriteNumber("connAccesses", x.ConnCount);
                w.WriteNumber("childAccesses", x.MyAccessCount);
                w.WriteNumber("accessCount", x.AccessCount);
                w.WriteNumber("bytesServed", x.BytesServed);
                w.WriteNumber("secondsSinceRequest", x.LastUsed == 0 ? 0 : Math.Max(0, (nowMicros - x.LastUsed) / 1_000_000));
                w.WriteNumber("requestMs", x.StartTime == 0 ? 0 : Math.Max(0, (x.StopTime - x.StartTime) / 1000));
                w.WriteString("client", x.Client);
                w.WriteString("protocol", x.Protocol);
                w.WriteString("vhost", x.Vhost);
                w.WriteString("request", x.Request);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    // The generations that have a process now, oldest first (two while a graceful restart drains).
    private static List<int> Generations(StatusSnapshot s)
    {
        var list = new List<int>(2);
        foreach (ProcessInfo p in s.ProcessSlots)
        {
            if (!list.Contains(p.Generation))
            {
                list.Add(p.Generation);
            }
        }

        list.Sort();
        return list;
    }
}
