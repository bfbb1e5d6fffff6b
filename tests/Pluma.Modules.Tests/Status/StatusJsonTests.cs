using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Pluma.Modules.Status;
using Pluma.Scoreboard;
using Pluma.Testing;

namespace Pluma.Modules.Tests.Status;

/// <summary>
/// server-status?json against a real scoreboard file written slot by slot, and against the
/// ?auto form rendered from the same snapshot: the same numbers under both names.
/// </summary>
public sealed class StatusJsonTests : IDisposable
{
    private static readonly DateTimeOffset Restart = new(2026, 11, 28, 14, 57, 28, TimeSpan.Zero);

    private readonly TempDirectory _dir = new("pluma-status-json-");

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// An event scoreboard of ServerLimit 4 x ThreadLimit 3 running 2 children of 3 threads:
    /// slot 0 of the running generation 1 (one writing, one reading, one idle), slot 1 of the
    /// old generation 0, stopping with closed listeners (one G, one idle: not counted), slot 2
    /// a free slot within MaxDaemons 3.
    /// </summary>
    private Pluma.Scoreboard.Scoreboard Board()
    {
        var board = Pluma.Scoreboard.Scoreboard.Create(Path.Combine(_dir.Path, "sb"), 4, 3, "event");
        ref GlobalScore g = ref board.Global;
        g.MaxDaemons = 3;
        g.ThreadsPerChild = 3;
        g.MaxRequestWorkers = 9;
        g.ConfiguredServerLimit = 3;
        g.ConfiguredThreadLimit = 3;
        g.RunningGeneration = 1;
        ref ProcessScore p0 = ref board.Process(0);
        p0.Pid = 4100;
        p0.Generation = 1;
        p0.Connections = 7;
        p0.KeepAlive = 4;
        p0.LingeringClose = 1;
        p0.Queued = 2;
        p0.StartTime = 1_700_000_000_000_000;
        ref ProcessScore p1 = ref board.Process(1);
        p1.Pid = 4000;
        p1.Generation = 0;
        p1.Quiescing = 1;
        p1.ListenersClosed = 1;
        Worker(board, 0, 0, 4100, 1, ScoreState.BusyWrite, "GET /big HTTP/1.1", 5, 3000);
        Worker(board, 0, 1, 4100, 1, ScoreState.BusyRead, "GET /a HTTP/1.1", 2, 100);
        Worker(board, 0, 2, 4100, 1, ScoreState.Ready, string.Empty, 0, 0);
        Worker(board, 1, 0, 4000, 0, ScoreState.Graceful, "GET /old HTTP/1.1", 9, 2048);
        Worker(board, 1, 1, 4000, 0, ScoreState.Ready, string.Empty, 1, 10);
        return board;
    }

    private static void Worker(Pluma.Scoreboard.Scoreboard board, int slot, int thread, int pid, int generation, byte state, string request, long accesses, long bytes)
    {
        ref WorkerScore w = ref board.Worker(slot, thread);
        w.Pid = pid;
        w.Generation = generation;
        w.Status = state;
        w.AccessCount = accesses;
        w.BytesServed = bytes;
        w.Duration = accesses * 1500;
        Pluma.Scoreboard.Scoreboard.WriteAscii(w.Request, request);
        Pluma.Scoreboard.Scoreboard.WriteAscii(w.Client, request.Length > 0 ? "127.0.0." + (thread + 1) : string.Empty);
        Pluma.Scoreboard.Scoreboard.WriteAscii(w.Vhost, request.Length > 0 ? "localhost:80" : string.Empty);
    }

    private static StatusPageRequest Page(bool extended = true) => new()
    {
        ServerName = "localhost",
        LocalIp = "127.0.0.1",
        ServerVersion = "Apache/2.4.71 (Debian)",
        ServerBuilt = "2026-11-12T08:58:41",
        Now = Restart.AddSeconds(75),
        RestartTime = Restart,
        Load1 = 0.5,
        ExtendedStatus = extended,
        ListenBacklog = 3,
    };

    private static Dictionary<string, string> Auto(StatusSnapshot s, StatusPageRequest q) =>
        StatusPage.Render(s, q with { Auto = true }).Split('\n').Where(l => l.Contains(": ", StringComparison.Ordinal))
            .ToDictionary(l => l[..l.IndexOf(": ", StringComparison.Ordinal)], l => l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..], StringComparer.Ordinal);

    private static JsonElement Json(StatusSnapshot s, StatusPageRequest q) =>
        JsonDocument.Parse(StatusJson.Render(s, q)).RootElement.Clone();

    [Fact]
    public void JsonCarriesTheNumbersOfTheAutoForm()
    {
        using var board = Board();
        StatusSnapshot s = StatusSnapshot.From(board.Snapshot());
        Dictionary<string, string> auto = Auto(s, Page());
        JsonElement json = Json(s, Page());
        Assert.Equal(auto["ServerMPM"], json.GetProperty("serverMpm").GetString());
        Assert.Equal(auto["ServerVersion"], json.GetProperty("serverVersion").GetString());
        (string Auto, string Json)[] numbers =
        [
            ("ParentServerConfigGeneration", "parentServerConfigGeneration"), ("ParentServerMPMGeneration", "parentServerMpmGeneration"),
            ("ServerUptimeSeconds", "serverUptimeSeconds"), ("Total Accesses", "totalAccesses"), ("Total kBytes", "totalKBytes"),
            ("Total Duration", "totalDuration"), ("BusyWorkers", "busyWorkers"), ("GracefulWorkers", "gracefulWorkers"),
            ("IdleWorkers", "idleWorkers"), ("Processes", "processes"), ("Stopping", "stopping"),
        ];
        foreach ((string a, string j) in numbers)
        {
            Assert.True(auto[a] == json.GetProperty(j).GetRawText(), $"{a} {auto[a]} but {j} {json.GetProperty(j).GetRawText()}");
        }

        JsonElement conns = json.GetProperty("conns");
        Assert.Equal(auto["ConnsTotal"], conns.GetProperty("total").GetRawText());
        Assert.Equal(auto["ConnsAsyncKeepAlive"], conns.GetProperty("asyncKeepAlive").GetRawText());
        Assert.Equal(auto["ConnsAsyncClosing"], conns.GetProperty("asyncClosing").GetRawText());
        Assert.Equal(auto["Scoreboard"], json.GetProperty("scoreboard").GetString());
        // The worker slots, in order, spell the Scoreboard line.
        Assert.Equal(auto["Scoreboard"], string.Concat(json.GetProperty("workerSlots").EnumerateArray().Select(w => w.GetProperty("state").GetString())));
    }

    [Fact]
    public void JsonShowsEverySlotAsTheScoreboardHasIt()
    {
        using var board = Board();
        StatusSnapshot s = StatusSnapshot.From(board.Snapshot());
        JsonElement json = Json(s, Page());
        Assert.Equal("WR_G_....", json.GetProperty("scoreboard").GetString());
        JsonElement limits = json.GetProperty("limits");
        Assert.Equal(3, limits.GetProperty("serverLimit").GetInt32());
        Assert.Equal(3, limits.GetProperty("threadLimit").GetInt32());
        Assert.Equal(4, limits.GetProperty("scoreboardProcessSlots").GetInt32());
        Assert.Equal(3, limits.GetProperty("scoreboardThreadSlots").GetInt32());
        Assert.Equal(3, limits.GetProperty("maxDaemons").GetInt32());
        Assert.Equal(3, limits.GetProperty("threadsPerChild").GetInt32());
        Assert.Equal(9, limits.GetProperty("maxRequestWorkers").GetInt32());
        Assert.Equal([0, 1], json.GetProperty("generations").EnumerateArray().Select(g => g.GetInt32()));

        JsonElement[] procs = [.. json.GetProperty("processSlots").EnumerateArray()];
        Assert.Equal(2, procs.Length);
        Assert.Equal(4100, procs[0].GetProperty("pid").GetInt32());
        Assert.Equal("serving", procs[0].GetProperty("state").GetString());
        Assert.False(procs[0].GetProperty("oldGeneration").GetBoolean());
        Assert.Equal(7, procs[0].GetProperty("connections").GetInt32());
        Assert.Equal(4, procs[0].GetProperty("keepAlive").GetInt32());
        Assert.Equal(1, procs[0].GetProperty("lingering").GetInt32());
        Assert.Equal(2, procs[0].GetProperty("queued").GetInt32());
        Assert.Equal(1_700_000_000_000, procs[0].GetProperty("startTime").GetInt64());
        Assert.Equal(2, procs[0].GetProperty("busy").GetInt32());
        Assert.Equal(1, procs[0].GetProperty("idle").GetInt32());
        Assert.Equal(4000, procs[1].GetProperty("pid").GetInt32());
        Assert.Equal("draining", procs[1].GetProperty("state").GetString());
        Assert.True(procs[1].GetProperty("oldGeneration").GetBoolean());
        Assert.True(procs[1].GetProperty("listenersClosed").GetBoolean());
        Assert.False(procs[1].GetProperty("accepting").GetBoolean());

        JsonElement queue = json.GetProperty("queue");
        Assert.Equal(2, queue.GetProperty("workerQueue").GetInt32());
        Assert.Equal(3, queue.GetProperty("listenBacklog").GetInt32());

        JsonElement[] workers = [.. json.GetProperty("workerSlots").EnumerateArray()];
        Assert.Equal(s.Workers.Count, workers.Length);
        for (int i = 0; i < workers.Length; i++)
        {
            WorkerInfo w = s.Workers[i];
            JsonElement j = workers[i];
            Assert.Equal(w.Slot, j.GetProperty("slot").GetInt32());
            Assert.Equal(w.Thread, j.GetProperty("thread").GetInt32());
            Assert.Equal(w.Letter.ToString(), j.GetProperty("state").GetString());
            Assert.Equal(w.Request, j.GetProperty("request").GetString());
            Assert.Equal(w.Client, j.GetProperty("client").GetString());
            Assert.Equal(w.Vhost, j.GetProperty("vhost").GetString());
            Assert.Equal(w.AccessCount, j.GetProperty("accessCount").GetInt64());
        }

        Assert.Equal("GET /old HTTP/1.1", workers[3].GetProperty("request").GetString());
        Assert.Equal(9, workers[3].GetProperty("accessCount").GetInt64());
    }

    [Fact]
    public void WithoutExtendedStatusTheTotalsAndRequestsAreLeftOutAsInTheAutoForm()
    {
        using var board = Board();
        StatusSnapshot s = StatusSnapshot.From(board.Snapshot());
        JsonElement json = Json(s, Page(extended: false));
        Assert.False(json.TryGetProperty("totalAccesses", out _));
        Assert.DoesNotContain("Total Accesses", StatusPage.Render(s, Page(extended: false) with { Auto = true }), StringComparison.Ordinal);
        Assert.All(json.GetProperty("workerSlots").EnumerateArray(), w => Assert.False(w.TryGetProperty("request", out _)));
    }

    [Fact]
    public void RequestLinesAreEscapedIntoValidJson()
    {
        using var board = Board();
        Pluma.Scoreboard.Scoreboard.WriteBytes(board.Worker(0, 0).Request, Encoding.Latin1.GetBytes("GET /\"q\\</script>\u00e9 HTTP/1.1"));
        JsonElement json = Json(StatusSnapshot.From(board.Snapshot()), Page());
        Assert.Equal("GET /\"q\\</script>\u00e9 HTTP/1.1", json.GetProperty("workerSlots")[0].GetProperty("request").GetString());
        Assert.DoesNotContain("</script>", Encoding.UTF8.GetString(StatusJson.Render(StatusSnapshot.From(board.Snapshot()), Page())), StringComparison.Ordinal);
    }

    [Fact]
    public void PreforkJsonHasNoAsyncConnections()
    {
        using var board = Board();
        StatusSnapshot s = StatusSnapshot.From(board.Snapshot()) with { MpmName = "prefork" };
        Assert.False(Json(s, Page()).TryGetProperty("conns", out _));
        Assert.DoesNotContain("ConnsTotal", StatusPage.Render(s, Page() with { Auto = true }), StringComparison.Ordinal);
    }
}
