using System.Threading;
using Pluma.Transport.Native;

namespace Pluma.Transport;

/// <content>
/// Bookkeeping for an edge-triggered poller (the event MPM's epoll set, EPOLLET): such a poller
/// announces input once, when it arrives, and never again while it stays unread. So whoever
/// parks the connection must know whether input that was already announced may still sit in
/// the socket. The poller counts the announcements it has seen (<see cref="NoteInputEdge"/>);
/// every receive notes the count as it was just before its system call whenever that call
/// emptied the socket (it returned less than it asked for, its end, or EAGAIN). Input that
/// arrived before such a receive was read by it; input that arrived after it is announced again.
/// </content>
public sealed unsafe partial class SocketConnection
{
    // Written by the poller's thread (under its lock) while any thread may own the connection.
    private long _inputEdges;

    // _inputEdges as read just before the last receive that emptied the socket; long.MinValue
    // after a receive that filled its buffer (more may be waiting).
    private long _emptiedAsOf;

    /// <summary>The poller reported input: counts it and returns its number.</summary>
    public long NoteInputEdge() => Interlocked.Increment(ref _inputEdges);

    /// <summary>Whether a receive that began after announcement <paramref name="edge"/> emptied the socket (its input was read).</summary>
    public bool EmptiedSince(long edge) => Volatile.Read(ref _emptiedAsOf) >= edge;

    /// <summary>
    /// Whether input may wait in the socket that no later announcement will report: an
    /// announcement came after the last receive that emptied the socket, or that receive filled
    /// its buffer.
    /// </summary>
    public bool MayHoldAnnouncedInput => Volatile.Read(ref _emptiedAsOf) < Volatile.Read(ref _inputEdges);

    /// <summary>
    /// Looks without reading (poll, no wait): true when input or the client's end is there;
    /// false notes the socket as empty as of now.
    /// </summary>
    public bool LookForInput()
    {
        long edges = Volatile.Read(ref _inputEdges);
        if (WaitReadable(0))
        {
            return true;
        }

        Volatile.Write(ref _emptiedAsOf, edges);
        return false;
    }

    /// <summary>recv(2) without waiting, with the note above; -1 with errno set when it failed.</summary>
    private nint ReceiveNow(byte* p, int length, out int errno)
    {
        long edges = Volatile.Read(ref _inputEdges);
        nint n = Libc.recv(_fd, p, length, Libc.MSG_DONTWAIT);
        errno = n < 0 ? Libc.Errno : 0;
        if (n >= 0 || errno == Libc.EAGAIN)
        {
            // Less than asked (its end included) or nothing: the socket is empty as of the call.
            Volatile.Write(ref _emptiedAsOf, n < length ? edges : long.MinValue);
        }

        return n;
    }
}
