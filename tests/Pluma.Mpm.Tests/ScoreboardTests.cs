using System.IO;
using System.Linq;
using System.Net;
using System.Runtime.CompilerServices;
using Pluma.Connections;
using Pluma.Mpm.Common;
using Pluma.Mpm.Event;
using Pluma.Mpm.Prefork;
using Pluma.Mpm.Worker;
using Pluma.Scoreboard;
using Pluma.Testing;
using Xunit;

namespace Pluma.Mpm.Tests;

public sealed class ScoreboardTests
{
    [Fact]
    public void SharedStructsHaveTheirFixedSizes()
    {
        Assert.Equal(192, Unsafe.SizeOf<GlobalScore>());
        Assert.Equal(64, Unsafe.SizeOf<ProcessScore>());
        Assert.Equal(256, Unsafe.SizeOf<WorkerScore>());
        Assert.Equal(192 + (64 * 16) + (256 * 16 * 64), Pluma.Scoreboard.Scoreboard.SizeFor(16, 64));
    }

    [Fact]
    public void WhatOneProcessWritesAnotherMappingReads()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "sb");
        using var parent = Pluma.Scoreboard.Scoreboard.Create(path, 4, 3, "event");
        parent.Global.MaxDaemons = 2;
        parent.Global.ThreadsPerChild = 2;
        parent.Process(1).Pid = 4242;
        WorkerSlotWriter writer = parent.OpenWorker(1, 1);
        writer.Attach(4242, 4243, 0);
        var status = new ScoreboardWorkerStatus(writer);
        writer.ConnectionStarted(IPAddress.Parse("192.0.2.7"));
        status.SetState(WorkerState.BusyWrite);
        status.RequestStarted("GET /a-very-long-path-that-goes-on-and-on-and-on-and-on-and-on-and-on-and-on HTTP/1.1"u8, "localhost:80", "HTTP/1.1");
        status.RequestFinished(1234);

        using var reader = Pluma.Scoreboard.Scoreboard.Open(path);
        Assert.Equal((4, 3, "event"), (reader.ServerLimit, reader.ThreadLimit, reader.MpmName));
        ref WorkerScore w = ref reader.Worker(1, 1);
        Assert.Equal(ScoreState.BusyWrite, w.Status);
        Assert.Equal((4242, 4243, 1L, 1L, 1L, 1234L), (w.Pid, w.Tid, w.AccessCount, w.MyAccessCount, w.ConnCount, w.BytesServed));
        ScoreboardSnapshot snap = reader.Snapshot();
        WorkerInfo info = Assert.Single(snap.Workers, x => x.Slot == 1 && x.Thread == 1);
        Assert.Equal(63, info.Request.Length);
        Assert.StartsWith("GET /a-very-long-path", info.Request);
        Assert.Equal("192.0.2.7", info.Client);
        Assert.Equal("localhost:80", info.Vhost);
        Assert.Equal("HTTP/1.1", info.Protocol);
    }

    [Fact]
    public void SnapshotCountsAsModStatusDoes()
    {
        using var dir = new TempDirectory();
        using var sb = Pluma.Scoreboard.Scoreboard.Create(Path.Combine(dir.Path, "sb"), 4, 4, "event");
        sb.Global.MaxDaemons = 2;
        sb.Global.ThreadsPerChild = 3;
        // Process 0: current generation, R _ K.
        sb.Process(0).Pid = 100;
        sb.Worker(0, 0).Status = ScoreState.BusyRead;
        sb.Worker(0, 1).Status = ScoreState.Ready;
        sb.Worker(0, 2).Status = ScoreState.BusyKeepAlive;
        // Process 1: quiescing, G G _ (ignored for Busy/Idle/Graceful).
        sb.Process(1).Pid = 101;
        sb.Process(1).Quiescing = 1;
        sb.Worker(1, 0).Status = ScoreState.Graceful;
        sb.Worker(1, 1).Status = ScoreState.Graceful;
        sb.Worker(1, 2).Status = ScoreState.Ready;
        // Slot 3 is beyond MaxDaemons but not dead: printed; dead slots beyond the limits are not.
        sb.Worker(3, 0).Status = ScoreState.Graceful;
        ScoreboardSnapshot s = sb.Snapshot();
        Assert.Equal("R_KGG_G", s.Letters);
        Assert.Equal((2, 1, 0), (s.BusyWorkers, s.IdleWorkers, s.GracefulWorkers));
        Assert.Equal((2, 1), (s.Processes, s.Stopping));
    }

    [Fact]
    public void OpeningSomethingElseIsRefused()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "junk");
        File.WriteAllBytes(path, new byte[4096]);
        Assert.Throws<InvalidDataException>(() => Pluma.Scoreboard.Scoreboard.Open(path));
    }

    [Fact]
    public void LettersFollowScoreboardH()
    {
        Assert.Equal(".S_RWKLDCGI", string.Concat(new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }.Select(i => ScoreState.Letter((byte)i))));
        Assert.Equal((byte)WorkerState.Graceful, ScoreState.Graceful);
    }

    [Theory]
    [InlineData("localhost:80", "localhost:80")]
    [InlineData("HTTP/1.1", "HTTP/1.1")]
    [InlineData("bad\u0001name\u007f:80", "bad?name?:80")]
    [InlineData("caf\u00e9.example:443", "caf?.example:443")]
    [InlineData("", "")]
    public void WriteAsciiKeepsPrintableAsciiAndMarksTheRest(string text, string expected)
    {
        // A field that held a longer text before: the rest is cleared.
        byte[] field = Enumerable.Repeat((byte)'x', 32).ToArray();
        Pluma.Scoreboard.Scoreboard.WriteAscii(field, text);
        Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(field, 0, expected.Length));
        Assert.All(field.Skip(expected.Length), b => Assert.Equal(0, b));
    }

    [Fact]
    public void WriteAsciiTruncatesSoATerminatingZeroRemains()
    {
        byte[] field = new byte[8];
        Pluma.Scoreboard.Scoreboard.WriteAscii(field, "0123456789");
        Assert.Equal("0123456", System.Text.Encoding.ASCII.GetString(field, 0, 7));
        Assert.Equal(0, field[7]);
        Pluma.Scoreboard.Scoreboard.WriteAscii(field, "01234\u00ff6789");
        Assert.Equal("01234?6", System.Text.Encoding.ASCII.GetString(field, 0, 7));
        Assert.Equal(0, field[7]);
    }
}
