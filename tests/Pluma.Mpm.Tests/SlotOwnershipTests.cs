using System.IO;
using System.Net;
using Pluma.Connections;
using Pluma.Connections.Diagnostics;
using Pluma.Mpm;
using Pluma.Mpm.Common;
using Pluma.Mpm.Event;
using Pluma.Mpm.Prefork;
using Pluma.Mpm.Worker;
using Pluma.Testing;
using Pluma.Transport;
using Xunit;

namespace Pluma.Mpm.Tests;

/// <summary>
/// A worker child whose slot was taken over by a newer child leaves the slot's process entry
/// alone: stopping, closing its listeners and the like are written only while the entry's pid is its own.
/// </summary>
public sealed class SlotOwnershipTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AChildWritesTheProcessEntryOnlyWhileItIsItsOwn(bool owner)
    {
        using var dir = new TempDirectory();
        using var board = Pluma.Scoreboard.Scoreboard.Create(Path.Combine(dir.Path, "sb"), 2, 4, "worker");
        using var listeners = ListenerSet.Bind([new IPEndPoint(IPAddress.Loopback, 0)]);
        using var pod = InheritablePipe.CreatePrivate();
        var child = MpmChild.Create(new ChildContext
        {
            Slot = 1,
            Generation = 0,
            Settings = new WorkerSettings { ThreadsPerChild = 4 },
            Board = board,
            Listeners = listeners,
            Pod = pod,
            Handler = new NoHandler(),
            Log = new NoLog(),
        });
        // The newer child's pid, or this process's.
        board.Process(1).Pid = owner ? Environment.ProcessId : Environment.ProcessId + 1;

        child.BeginGracefulStop();

        Assert.True(child.IsGraceful);
        Assert.Equal(owner ? 1 : 0, board.Process(1).Quiescing);
    }

    private sealed class NoHandler : IConnectionHandler
    {
        public ConnectionStep Serve(Connection connection) => ConnectionStep.Close;
    }

    private sealed class NoLog : IErrorLog
    {
        public bool IsEnabled(LogLevel level, string module) => false;

        public void Write(LogLevel level, string module, string message, string? client = null)
        {
        }
    }
}
