using Pluma.Connections;
using Pluma.Scoreboard;

namespace Pluma.Mpm.Common;

/// <summary>
/// The <see cref="IWorkerStatus"/> the protocol writes through: one worker slot of the
/// scoreboard (the scoreboard knows only the BCL, so the MPM adapts WorkerState to its bytes).
/// </summary>
public sealed class ScoreboardWorkerStatus : IWorkerStatus
{
    private readonly WorkerSlotWriter _writer;

    public ScoreboardWorkerStatus(WorkerSlotWriter writer)
    {
        _writer = writer;
    }

    public WorkerSlotWriter Writer => _writer;

    /// <inheritdoc/>
    public void SetState(WorkerState state) => _writer.SetStatus((byte)state);

    /// <inheritdoc/>
    public void RequestStarted(ReadOnlySpan<byte> requestLine, string virtualHost, string protocol) =>
        _writer.RequestStarted(requestLine, virtualHost, protocol);

    /// <inheritdoc/>
    public void VirtualHostChosen(ReadOnlySpan<char> virtualHost) => _writer.VirtualHostChosen(virtualHost);

    /// <inheritdoc/>
    public void RequestFinished(long bytesSent) => _writer.RequestFinished(bytesSent);
}
