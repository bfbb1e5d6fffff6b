using System.IO;
using Pluma.Scoreboard;
using Pluma.Testing;
using Xunit;

namespace Pluma.Mpm.Tests;

/// <summary>The load observations the parent keeps in the scoreboard's global part for `-k advise`.</summary>
public sealed class LoadObserverTests
{
    [Fact]
    public void PeaksAndKeepAliveShareAreCountedFromTheSlots()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "sb");
        using var sb = Pluma.Scoreboard.Scoreboard.Create(path, 4, 3, "worker");
        sb.Process(0).Pid = 100;
        sb.Worker(0, 0).Status = ScoreState.BusyWrite;
        sb.Worker(0, 1).Status = ScoreState.BusyKeepAlive;
        sb.Worker(0, 2).Status = ScoreState.Ready;
        sb.Process(1).Pid = 101;
        sb.Worker(1, 0).Status = ScoreState.BusyRead;
        sb.Worker(1, 1).Status = ScoreState.Graceful;
        // A slot without a process is not load, whatever its entries say.
        sb.Worker(2, 0).Status = ScoreState.BusyWrite;
        LoadObserver.Record(sb, 1_000);
        ref GlobalScore g = ref sb.Global;
        Assert.Equal((3, 3, 1L, 1L, 1_000L), (g.PeakBusyWorkers, g.PeakConnections, g.LoadSamples, g.KeepAliveSamples, g.ObservedSince));

        // A quieter tick keeps the peaks and adds to the sums; the time of the peak stays.
        sb.Worker(0, 0).Status = ScoreState.Ready;
        sb.Worker(1, 0).Status = ScoreState.Ready;
        LoadObserver.Record(sb, 2_000);
        Assert.Equal((3, 3, 2L, 4L, 2L, 1_000L, 1_000L), (g.PeakBusyWorkers, g.PeakConnections, g.LoadSamples, g.ConnectionSamples, g.KeepAliveSamples, g.PeakTime, g.ObservedSince));

        // A second reader of the file sees them: they outlive any one advise call.
        using var reader = Pluma.Scoreboard.Scoreboard.Open(path);
        Assert.Equal((3, 2L), (reader.Global.PeakBusyWorkers, reader.Global.LoadSamples));
    }

    [Fact]
    public void EventParkedConnectionsCountAsOpenAndKeepAlive()
    {
        using var dir = new TempDirectory();
        using var sb = Pluma.Scoreboard.Scoreboard.Create(Path.Combine(dir.Path, "sb"), 2, 4, "event");
        sb.Process(0).Pid = 100;
        sb.Worker(0, 0).Status = ScoreState.BusyWrite;
        sb.Process(0).KeepAlive = 5;
        sb.Process(0).Connections = 7;
        LoadObserver.Record(sb, 10);
        ref GlobalScore g = ref sb.Global;
        Assert.Equal((1, 7, 7L, 5L), (g.PeakBusyWorkers, g.PeakConnections, g.ConnectionSamples, g.KeepAliveSamples));
    }

    [Fact]
    public void AScoreboardOfTheOldLayoutIsRefused()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "sb");
        using (var sb = Pluma.Scoreboard.Scoreboard.Create(path, 2, 2, "event"))
        {
            sb.Global.LayoutVersion = Pluma.Scoreboard.Scoreboard.LayoutVersion - 1;
        }

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => Pluma.Scoreboard.Scoreboard.Open(path));
        Assert.Contains("layout " + Pluma.Scoreboard.Scoreboard.LayoutVersion, e.Message, StringComparison.Ordinal);
    }
}
