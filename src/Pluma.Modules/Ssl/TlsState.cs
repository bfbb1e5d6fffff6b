using System.Buffers;

namespace Pluma.Modules.Ssl;

/// <summary>
/// What a TLS connection keeps between the MPM's calls (its <c>ProtocolState</c>): the
/// ClientHello bytes while they arrive (the event MPM parks the connection with no worker
/// meanwhile), the handshake while the client's next flight is late (parked the same way), then the <see cref="TlsConnection"/> for the rest of its life.
/// </summary>
internal sealed class TlsState : IDisposable
{
    // A ClientHello record: 5 bytes of header and at most 16 KiB + 2 KiB of body (RFC 8446 5.2).
    public const int MaxRecord = 5 + (18 * 1024);

    public TlsState(SslSite site, long deadline)
    {
        Site = site;
        Deadline = deadline;
    }

    /// <summary>The listener's default TLS server.</summary>
    public SslSite Site { get; }

    /// <summary>When the handshake must have finished (<see cref="Environment.TickCount64"/> ms).</summary>
    public long Deadline { get; }

    public byte[]? Hello { get; private set; }

    public int HelloCount { get; set; }

    /// <summary>The handshake, while it waits for the client's next flight with no worker.</summary>
    public HandshakeInProgress? Handshake { get; set; }

    public TlsConnection? Tls { get; set; }

    public byte[] RentHello() => Hello ??= ArrayPool<byte>.Shared.Rent(MaxRecord);

    /// <summary>The hello buffer now belongs to the stream that replays it.</summary>
    public void ForgetHello() => Hello = null;

    public void Dispose()
    {
        if (Hello is not null)
        {
            ArrayPool<byte>.Shared.Return(Hello);
            Hello = null;
        }

        Handshake?.Dispose();
        Handshake = null;
        Tls?.Dispose();
        Tls = null;
    }
}
