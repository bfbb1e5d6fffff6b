using Pluma.Transport.Native;

namespace Pluma.Transport;

/// <content>
/// The unsent-bytes limit of a connection that sends a file (TCP_NOTSENT_LOWAT).
/// <para>
/// sendfile(2) only hands the kernel page references, so without a limit one call queues a whole
/// 1 MiB file in the socket at once and returns. What the client's receive window does not take
/// yet then waits in the socket, and the kernel sends it whenever the client's ACKs open the
/// window: in the context of the process whose ACK arrived. Over loopback that is the client's
/// recv(2) (its ACK runs our socket's output path on its own CPU), over a network the softirq of
/// the interface; either way not the worker that owns the response, and in FIN_WAIT1 after a
/// close through TCP's slow path. With at most <see cref="FileSendUnsentLimit"/> unsent bytes in
/// the socket, sendfile stops when the window is full plus that much, the worker waits for
/// room (poll, or the event MPM's write completion) and sends the next window itself.
/// </para>
/// <para>
/// Measured on a 1 MiB file (bench/README.md, "Large files: the unsent bytes bounded"): the
/// client's CPU per request fell by a fifth with keep-alive and two fifths with close; the
/// server's fell with keep-alive and rose by about 250 µs with close (a wait per window).
/// Apache's default (EnableSendfile Off) copies the file with writev, which takes the ACKs
/// that arrive during the copy itself and so sends from its own context as well.
/// </para>
/// </content>
public sealed unsafe partial class SocketConnection
{
    /// <summary>
    /// The most bytes a file send leaves unsent in the socket (TCP_NOTSENT_LOWAT). 4 to 32 KiB
    /// measured alike; 64 KiB (one loopback segment) lost most of the gain.
    /// </summary>
    public const int FileSendUnsentLimit = 16 * 1024;

    private bool _unsentLimited;

    /// <summary>Sets the unsent-bytes limit before this connection's first file send (one setsockopt per connection).</summary>
    private void LimitUnsentOnce()
    {
        if (_unsentLimited)
        {
            return;
        }

        _unsentLimited = true;
        int v = FileSendUnsentLimit;
        _ = Libc.setsockopt(_fd, Libc.IPPROTO_TCP, Libc.TCP_NOTSENT_LOWAT, &v, sizeof(int));
    }
}
