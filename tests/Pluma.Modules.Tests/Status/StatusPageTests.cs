using Pluma.Modules.Status;
using Pluma.Modules.Tests.Support;
using Pluma.Scoreboard;

namespace Pluma.Modules.Tests.Status;

public class StatusPageTests
{
    private static readonly DateTimeOffset Restart = new(2026, 11, 28, 14, 57, 28, TimeSpan.Zero);

    private static WorkerInfo Worker(int thread, byte status, long conn, long acc, long duration, string request) =>
        new(0, thread, status, 3137, 0, conn, acc, acc, 0, 8192, 8192, 1, 1, (Restart.ToUnixTimeMilliseconds() + 7000) * 1000, duration,
            "127.0.0.1", request, "localhost:56735", "http/1.1");

    private static StatusSnapshot Snapshot(string letters, long accesses, long bytes, long duration, params WorkerInfo[] workers) => new()
    {
        MpmName = "event",
        ConfigGeneration = 1,
        RunningGeneration = 0,
        Letters = letters,
        BusyWorkers = 1,
        IdleWorkers = 3,
        Processes = 1,
        TotalAccesses = accesses,
        TotalBytes = bytes,
        TotalDuration = duration,
        ProcessSlots = [new ProcessInfo(0, 3137, 0, false, false, 0, 0, 0, 0, 0, 0, 1, 0, 3)],
        Workers = workers,
    };

    private static StatusPageRequest Page(int seconds, double l1, double l5, double l15, bool auto) => new()
    {
        ServerName = "127.0.0.1",
        LocalIp = "127.0.0.1",
        ServerVersion = "Apache/2.4.71 (Debian)",
        ServerBuilt = "2026-11-12T08:58:41",
        Now = Restart.AddSeconds(seconds),
        RestartTime = Restart,
        Load1 = l1,
        Load5 = l5,
        Load15 = l15,
        Auto = auto,
    };

    [Fact]
    public void AutoPageMatchesApacheByteForByte()
    {
        StatusSnapshot s = Snapshot("_W__....", 1, 2048, 0);
        Assert.Equal(Fixture.Read("status-event.auto"), StatusPage.Render(s, Page(2, 3.47, 4.82, 3.59, auto: true)));
    }

    [Fact]
    public void HtmlPageMatchesApacheByteForByte()
    {
        StatusSnapshot s = Snapshot("__W_....", 8, 16 * 1024, 1000,
            Worker(0, ScoreState.Ready, 0, 4, 0, "GET /empty/ HTTP/1.1"),
            Worker(1, ScoreState.BusyWrite, 1, 4, 1000, "GET /server-status HTTP/1.1"),
            Worker(2, ScoreState.Ready, 0, 0, 0, string.Empty));
        Assert.Equal(Fixture.Read("status-event.html"), StatusPage.Render(s, Page(7, 4.56, 5.02, 3.66, auto: false)));
    }

    [Fact]
    public void WorkerAndPreforkPagesHaveNoEventBlock()
    {
        StatusSnapshot s = Snapshot("_W", 1, 2048, 0) with { MpmName = "prefork" };
        string auto = StatusPage.Render(s, Page(2, 0, 0, 0, auto: true));
        Assert.DoesNotContain("Processes:", auto, StringComparison.Ordinal);
        Assert.Contains("ServerMPM: prefork\n", auto, StringComparison.Ordinal);
        Assert.DoesNotContain("<table rules", StatusPage.Render(s, Page(2, 0, 0, 0, auto: false)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5, 6, ".5")]
    [InlineData(0.125, 6, ".125")]
    [InlineData(1024, 6, "1024")]
    [InlineData(1.142857, 3, "1.14")]
    [InlineData(0.3640001, 3, ".364")]
    [InlineData(1449.353, 6, "1449.35")]
    [InlineData(4.492307, 6, "4.49231")]
    [InlineData(0, 6, "0")]
    [InlineData(12345678, 6, "1.23457e+07")]
    public void GFormatDropsTheLeadingZeroAsApr(double value, int precision, string expected)
    {
        Assert.Equal(expected, CFormat.G(value, precision));
    }

    [Theory]
    [InlineData(3, " 3 seconds")]
    [InlineData(61, " 1 minute 1 second")]
    [InlineData(90061, " 1 day 1 hour 1 minute 1 second")]
    [InlineData(7200, " 2 hours")]
    public void UptimeLeavesOutZeroUnits(long seconds, string expected)
    {
        Assert.Equal(expected, StatusPage.Uptime(seconds));
    }

    [Theory]
    [InlineData("auto", true, false, null)]
    [InlineData("refresh=5", false, false, 5)]
    [InlineData("refresh", false, false, 10)]
    [InlineData("refresh=0&notable", false, true, 10)]
    public void QueryOptionsAreFoundAnywhere(string query, bool auto, bool noTable, int? refresh)
    {
        Assert.Equal((auto, noTable, refresh), StatusModule.ParseQuery(query));
    }

    [Fact]
    public void ScoreboardIsWrappedEvery64Slots()
    {
        StatusSnapshot s = Snapshot(new string('_', 130), 0, 0, 0);
        string html = StatusPage.Render(s, Page(2, 0, 0, 0, auto: false));
        Assert.Contains("<pre>" + new string('_', 64) + "\n" + new string('_', 64) + "\n__</pre>", html, StringComparison.Ordinal);
    }
}
