namespace Pluma.Connections;

/// <summary>
/// What the protocol reports about its work, for the scoreboard (Apache's
/// ap_update_child_status and ap_increment_counts). The MPM gives each connection the
/// slot of the worker that serves it; tests use <see cref="NullWorkerStatus"/>.
/// </summary>
public interface IWorkerStatus
{
    /// <summary>Sets the worker's scoreboard state (R, W, K, L, C ...).</summary>
    void SetState(WorkerState state);

    /// <summary>
    /// A request line was read: record it with the virtual host that serves it
    /// (<c>name:port</c>) and the protocol, for ExtendedStatus.
    /// </summary>
    void RequestStarted(ReadOnlySpan<byte> requestLine, string virtualHost, string protocol);

    /// <summary>
    /// The request's virtual host is known (<c>name:port</c>, Apache's SERVER_BUSY_WRITE update
    /// with r): it replaces the one <see cref="RequestStarted"/> recorded.
    /// </summary>
    void VirtualHostChosen(ReadOnlySpan<char> virtualHost);

    /// <summary>A request was answered: count it and the bytes sent (Apache's %O).</summary>
    void RequestFinished(long bytesSent);
}

/// <summary>An <see cref="IWorkerStatus"/> that records nothing.</summary>
public sealed class NullWorkerStatus : IWorkerStatus
{
    /// <summary>The shared instance.</summary>
    public static readonly NullWorkerStatus Instance = new();

    private NullWorkerStatus()
    {
    }

    /// <inheritdoc/>
    public void SetState(WorkerState state)
    {
    }

    /// <inheritdoc/>
    public void RequestStarted(ReadOnlySpan<byte> requestLine, string virtualHost, string protocol)
    {
    }

    /// <inheritdoc/>
    public void VirtualHostChosen(ReadOnlySpan<char> virtualHost)
    {
    }

    /// <inheritdoc/>
    public void RequestFinished(long bytesSent)
    {
    }
}
