using System.Net.Security;
using System.Threading.Tasks;

namespace Pluma.Modules.Ssl;

/// <summary>
/// A handshake waiting for the client's next flight with no worker (in <see cref="TlsState"/>):
/// SslStream's handshake task, not complete while <see cref="Stream"/>'s read is suspended, and
/// what the handshake ends with.
/// </summary>
internal sealed class HandshakeInProgress(SslStream ssl, ConnectionStream stream, object choice, Task task) : IDisposable
{
    public SslStream Ssl { get; } = ssl;

    public ConnectionStream Stream { get; } = stream;

    /// <summary>The SNI callback's state (SslConnectionHandler's).</summary>
    public object Choice { get; } = choice;

    public Task Task { get; } = task;

    /// <summary>The connection is gone mid-handshake: the handshake fails (on this thread) and its buffers go back.</summary>
    public void Dispose()
    {
        Stream.FailRead(new Pluma.Connections.ConnectionResetException("closed during the handshake"));
        _ = Task.Exception; // observed: it failed as asked
        Ssl.Dispose();
        Stream.ReleaseHeld();
        Stream.ReleaseRaw();
    }
}
