using System.Buffers;
using System.IO;
using System.Net;
using Microsoft.Win32.SafeHandles;

namespace Pluma.Connections;

/// <summary>
/// One accepted client connection as the protocol sees it (Apache's conn_rec plus its socket).
/// I/O is synchronous and blocking: it runs on the dedicated worker thread that the MPM gave
/// the connection. The transport (real socket) and the tests (in-memory) implement it.
/// </summary>
public abstract class Connection
{
    /// <summary>A number unique within the child process, for logs.</summary>
    public long Id { get; init; }

    /// <summary>The client's address and port.</summary>
    public required IPEndPoint RemoteEndPoint { get; init; }

    /// <summary>
    /// The TCP peer (Apache's c->client_addr, %{c}a): <see cref="RemoteEndPoint"/>, unless a PROXY
    /// protocol header (mod_remoteip) named the client, which <see cref="RemoteEndPoint"/> then is.
    /// </summary>
    public IPEndPoint PeerEndPoint
    {
        get => _peer ?? RemoteEndPoint;
        init => _peer = value;
    }

    private readonly IPEndPoint? _peer;

    /// <summary>The local address and port the client connected to (selects the vhost).</summary>
    public required IPEndPoint LocalEndPoint { get; init; }

    /// <summary>Where the protocol reports its progress (the worker's scoreboard slot).</summary>
    public IWorkerStatus Status { get; set; } = NullWorkerStatus.Instance;

    /// <summary>Requests answered on this connection so far (MaxKeepAliveRequests).</summary>
    public int RequestCount { get; set; }

    /// <summary>
    /// Set by the protocol with its <see cref="ConnectionStep.Close"/>: the client said its last
    /// request was its last (Connection: close, or HTTP/1.0 without keep-alive) and everything it
    /// sent has been read. The close then needs no lingering: the reset RFC 9112 9.6 warns of
    /// answers data that arrives after the close, and this client has none to send. The MPM still
    /// looks once (a client that sent more anyway gets Apache's lingering close).
    /// </summary>
    public bool ClientSentAll { get; set; }

    /// <summary>
    /// How long the MPM may wait for the next request after <see cref="ConnectionStep.WaitForNextRequest"/>
    /// (KeepAliveTimeout of the vhost that served the last request). Set by the handler.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After <see cref="ConnectionStep.WaitForInput"/>: when the MPM must call the handler again
    /// even if nothing arrived (<see cref="Environment.TickCount64"/> milliseconds). Set by the handler.
    /// </summary>
    public long InputDeadline { get; set; }

    /// <summary>
    /// What the handler keeps with the connection between <see cref="IConnectionHandler.Serve"/>
    /// calls while it waits for input (the part of a request head received so far; Apache's
    /// c->conn_config). Disposed when the connection is, so its buffers go back to their pool.
    /// </summary>
    public IDisposable? ProtocolState { get; set; }

    /// <summary>
    /// Set by the MPM when the child is stopping gracefully: the handler finishes the request
    /// in progress and then closes instead of keeping the connection alive.
    /// </summary>
    public bool IsDraining => DrainRequested?.Invoke() ?? false;

    /// <summary>The MPM's "are we stopping" probe; null means never.</summary>
    public Func<bool>? DrainRequested { get; set; }

    /// <summary>
    /// The child's workers the protocol may hand work of this connection to (HTTP/2 streams),
    /// set by a threaded MPM; null under prefork and in tests, where the connection's own thread does it all.
    /// </summary>
    public IWorkerPool? Workers { get; set; }

    /// <summary>
    /// Reads at least one byte into <paramref name="buffer"/>, waiting at most
    /// <paramref name="timeout"/>. Returns 0 at end of stream. Throws
    /// <see cref="ConnectionTimeoutException"/> or <see cref="ConnectionResetException"/>.
    /// </summary>
    public abstract int Receive(Span<byte> buffer, TimeSpan timeout);

    /// <summary>
    /// Reads what has arrived without waiting when the transport can: the byte count (0 at end of
    /// stream), or -1 when nothing is there yet and the handler may give the connection back with
    /// <see cref="ConnectionStep.WaitForInput"/>. The default waits as <see cref="Receive"/> does
    /// (for connections that cannot wait without a thread, e.g. in-memory test doubles).
    /// </summary>
    public virtual int ReceiveIfReady(Span<byte> buffer, TimeSpan timeout) => Receive(buffer, timeout);

    /// <summary>
    /// Input has arrived that <see cref="ReceiveIfReady"/> cannot hand out yet (the first part of
    /// a TLS record): the client has begun to send, though no byte of it is readable. False where
    /// every byte that arrives is readable at once (a plain socket).
    /// </summary>
    public virtual bool HoldsPartialInput => false;

    /// <summary>
    /// Waits at most <paramref name="timeout"/> until input (or the end of the stream) is there,
    /// without reading it: for a caller that has just sent what the client must answer first, where
    /// a read would only find nothing. False when the time ran out. The default does not wait
    /// (the <see cref="Receive"/> that follows does).
    /// </summary>
    public virtual bool WaitForReadable(TimeSpan timeout) => true;

    /// <summary>Sends every byte of <paramref name="data"/> or throws.</summary>
    public abstract void Send(ReadOnlySpan<byte> data, TimeSpan timeout);

    /// <summary>
    /// Sends <paramref name="count"/> bytes of <paramref name="file"/> from <paramref name="offset"/>
    /// (sendfile(2) where the transport can), after any bytes already passed to <see cref="Send"/>.
    /// </summary>
    public abstract void SendFile(SafeFileHandle file, long offset, long count, TimeSpan timeout);

    /// <summary>
    /// Sends <paramref name="count"/> bytes of <paramref name="file"/> from <paramref name="offset"/>
    /// read in user space, never by sendfile(2) (EnableSendfile Off: on a network filesystem
    /// sendfile can send stale data). The default reads pieces and passes them to
    /// <see cref="Send"/>; a socket overrides it to set the rest aside under write completion as
    /// <see cref="SendFile"/> does.
    /// </summary>
    public virtual void CopyFile(SafeFileHandle file, long offset, long count, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(file);
        byte[] piece = ArrayPool<byte>.Shared.Rent((int)Math.Min(CopyPiece, Math.Max(count, 1)));
        try
        {
            long end = offset + count;
            while (offset < end)
            {
                int n = RandomAccess.Read(file, piece.AsSpan(0, (int)Math.Min(piece.Length, end - offset)), offset);
                if (n <= 0)
                {
                    throw new ConnectionResetException("read: the file is shorter than announced");
                }

                Send(piece.AsSpan(0, n), timeout);
                offset += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(piece);
        }
    }

    /// <summary>
    /// The piece <see cref="CopyFile"/> reads a file in: 64 KiB. 256 KiB measured a little faster
    /// with keep-alive (bench/README.md, "Large files"), but the pool keeps a piece per thread that
    /// used one, and 25 threads of a worker child serving large files would then hold 6.4 MiB
    /// against 1.6 MiB: the memory per child counts more than that margin.
    /// </summary>
    public const int CopyPiece = 64 * 1024;

    /// <summary>
    /// Holds back small sends until <see cref="Flush"/> (TCP_CORK), so a response's head
    /// and a small body leave in one segment.
    /// </summary>
    public virtual void Cork(bool on)
    {
    }

    /// <summary>
    /// The protocol a request on this connection is logged and reported with when it is not the
    /// request line's (r->protocol): "HTTP/2.0" for an HTTP/2 stream served by the HTTP/1.1
    /// engine. Null means the request line's.
    /// </summary>
    public virtual string? RequestProtocol => null;

    /// <summary>
    /// The connection's protocol as Apache names it (ap_get_protocol): "http/1.1" unless the
    /// connection switched to another ("h2" over TLS, "h2c" on cleartext); server-status's
    /// Protocol column shows it.
    /// </summary>
    public virtual string ProtocolName => "http/1.1";

    /// <summary>The protocol TLS chose by ALPN ("h2"), or null (cleartext, or http/1.1).</summary>
    public virtual string? ApplicationProtocol => null;

    /// <summary>Whether the bytes travel encrypted (mod_ssl's TLS): self-referential URLs say https.</summary>
    public virtual bool IsSecure => false;

    /// <summary>
    /// The end of a response was set aside because the client could not take it yet (the event
    /// MPM's write completion); the MPM finishes it. Always false where nothing is set aside.
    /// </summary>
    public virtual bool HasPendingOutput => false;

    /// <summary>Pushes out anything held back by <see cref="Cork"/>.</summary>
    public virtual void Flush()
    {
    }
}
