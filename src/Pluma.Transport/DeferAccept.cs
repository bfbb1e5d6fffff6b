using System.Globalization;
using System.Runtime.InteropServices;
using Pluma.Transport.Native;

namespace Pluma.Transport;

/// <summary>
/// TCP_DEFER_ACCEPT on a listening socket, Linux's form of Apache's accept filters
/// (AcceptFilter http data): the kernel queues a connection for accept(2) only once its first
/// data has arrived, so the server's first read finds the request instead of EAGAIN and a wait.
/// A connection that sends nothing is accepted after about <see cref="Seconds"/> anyway (the
/// kernel stops dropping the client's bare ACKs after that many SYN-ACK retransmissions).
/// </summary>
public static class DeferAccept
{
    /// <summary>listen.c ap_apply_accept_filter: apr_socket_opt_set(APR_TCP_DEFER_ACCEPT, 30).</summary>
    public const int Seconds = 30;

    private const int TcpDeferAccept = 9;

    /// <summary>Sets the option; null when set, else Apache's AH00076 warning with the errno.</summary>
    public static string? Set(int fd)
    {
        int errno = SocketOptions.SetInt(fd, Libc.IPPROTO_TCP, TcpDeferAccept, Seconds);
        return errno == 0
            ? null
            : $"({errno.ToString(CultureInfo.InvariantCulture)}){Marshal.GetPInvokeErrorMessage(errno)}: AH00076: Failed to enable APR_TCP_DEFER_ACCEPT";
    }

    /// <summary>The option's value on <paramref name="fd"/> as the kernel reports it (rounded up to whole retransmissions); 0 when off, -1 when it cannot be read.</summary>
    public static int Get(int fd) => SocketOptions.GetInt(fd, Libc.IPPROTO_TCP, TcpDeferAccept);
}
