using System.Net.Sockets;
using Pluma.Transport.Native;

namespace Pluma.Transport;

/// <summary>
/// ListenCoresBucketsRatio (listen.c): with SO_REUSEPORT the Listen sockets can exist several
/// times, one copy per "bucket" of children, and the kernel spreads new connections evenly over
/// the copies instead of waking every child for every connection.
/// </summary>
public static class ListenerBuckets
{
    private const int SoReusePort = 15;
    private const int ScNProcessorsOnln = 84;

    private static readonly Lazy<bool> s_reusePort = new(ProbeReusePort);

    /// <summary>
    /// Whether SO_REUSEPORT can be set here (Apache checks once, on a throw-away socket, and
    /// only trusts Linux's even spreading).
    /// </summary>
    public static bool ReusePortSupported => s_reusePort.Value;

    /// <summary>sysconf(_SC_NPROCESSORS_ONLN), as Apache counts cores (not the process's affinity).</summary>
    public static int OnlineCores()
    {
        long n = Libc.sysconf(ScNProcessorsOnln);
        return n > 0 ? (int)n : Environment.ProcessorCount;
    }

    /// <summary>
    /// The bucket count for a ratio: online cores / ratio, at least 1; 1 when the ratio is 0
    /// or SO_REUSEPORT is missing.
    /// </summary>
    public static int Count(int ratio) => Count(ratio, OnlineCores(), ReusePortSupported);

    /// <summary>The bucket count as a pure function (ap_duplicate_listeners).</summary>
    public static int Count(int ratio, int onlineCores, bool reusePort) =>
        ratio > 0 && reusePort ? Math.Max(1, onlineCores / ratio) : 1;

    /// <summary>Apache's AH02819 (info, at start-up): how many buckets and why.</summary>
    public static string UsingBucketsMessage(int buckets, int onlineCores, int ratio) =>
        $"AH02819: Using {buckets} listeners bucket(s) based on {onlineCores} online CPU cores and a ratio of {ratio}";

    /// <summary>Apache's AH02820 (warning, at start-up) when the ratio cannot be honoured.</summary>
    public const string IgnoredMessage =
        "AH02820: ListenCoresBucketsRatio ignored without SO_REUSEPORT and _SC_NPROCESSORS_ONLN support: using a single listeners bucket";

    internal static void SetReusePort(Socket socket)
    {
        int errno = SocketOptions.SetInt(checked((int)socket.Handle), Libc.SOL_SOCKET, SoReusePort, 1);
        if (errno != 0)
        {
            throw new SocketException((int)SocketError.ProtocolOption, $"setsockopt(SO_REUSEPORT): errno {errno}");
        }
    }

    private static bool ProbeReusePort()
    {
        try
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            SetReusePort(probe);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
