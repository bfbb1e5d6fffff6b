using Pluma.Transport.Native;

namespace Pluma.Transport;

/// <summary>
/// An int-valued socket option on a descriptor, the shape of every option the listeners take
/// (SO_REUSEPORT for ListenerBuckets, TCP_DEFER_ACCEPT for DeferAccept): one setsockopt(2) and
/// one getsockopt(2) wrapper for all of them.
/// </summary>
internal static unsafe class SocketOptions
{
    /// <summary>Sets option <paramref name="name"/> of <paramref name="level"/> to <paramref name="value"/>; 0 when set, else the errno.</summary>
    public static int SetInt(int fd, int level, int name, int value) =>
        Libc.setsockopt(fd, level, name, &value, sizeof(int)) == 0 ? 0 : Libc.Errno;

    /// <summary>The option's value as the kernel reports it; -1 when it cannot be read.</summary>
    public static int GetInt(int fd, int level, int name)
    {
        int value = 0;
        int len = sizeof(int);
        return Libc.getsockopt(fd, level, name, &value, &len) == 0 ? value : -1;
    }
}
