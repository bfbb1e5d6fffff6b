using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace Pluma.Mpm.Common;

/// <summary>
/// A thread of a threaded child (its start thread, listener and workers), made with
/// pthread_create instead of Thread.Start. NativeAOT's Thread.Start does not
/// return until the new thread has run, and waits for that by calling sched_yield in a loop: on
/// a machine whose cores are busy the new thread may wait a scheduler slice or more for one, and
/// the 25 starts of a worker child then spent about a quarter of the child's start CPU in that
/// loop (bench/README, "A threaded child's threads"). Here the caller goes on at once; the
/// runtime takes the new thread in at its first call into managed code, as it does any thread
/// made outside it, and lets it go when it ends.
/// </summary>
internal sealed unsafe partial class ChildThread
{
    // .NET's stack for the threads it starts on Linux: pthread's default is RLIMIT_STACK (8 MiB).
    private const nuint StackSize = 1536 * 1024;

    // Room for a pthread_attr_t (56 bytes on x86-64 glibc, 64 on arm64).
    private const int AttrWords = 16;

    private const int PR_SET_NAME = 15;

    private readonly nuint _thread;
    private int _joined;

    private ChildThread(nuint thread)
    {
        _thread = thread;
    }

    /// <summary>Starts <paramref name="body"/> on a new thread named <paramref name="name"/> (at most 15 bytes: the kernel's comm).</summary>
    public static ChildThread Start(string name, Action body)
    {
        GCHandle state = GCHandle.Alloc(new StartState(name, body));
        ulong* attr = stackalloc ulong[AttrWords];
        nuint thread = 0;
        int rc = pthread_attr_init(attr);
        if (rc == 0)
        {
            _ = pthread_attr_setstacksize(attr, StackSize);
            rc = pthread_create(&thread, attr, &Entry, GCHandle.ToIntPtr(state));
            _ = pthread_attr_destroy(attr);
        }

        if (rc != 0)
        {
            state.Free();
            throw new OutOfMemoryException($"pthread_create failed (error {rc}): thread {name} not started");
        }

        return new ChildThread(thread);
    }

    /// <summary>Waits until the thread has ended (once; later calls return at once).</summary>
    public void Join()
    {
        if (Interlocked.Exchange(ref _joined, 1) == 0)
        {
            _ = pthread_join(_thread, null);
        }
    }

    [UnmanagedCallersOnly]
    private static nint Entry(nint arg)
    {
        GCHandle handle = GCHandle.FromIntPtr(arg);
        var state = (StartState)handle.Target!;
        handle.Free();
        // The name ps, top and /proc/PID/task/TID/comm show (Thread.Name's for a thread .NET starts).
        byte* name = stackalloc byte[16];
        int n = Encoding.ASCII.GetBytes(state.Name.AsSpan(0, Math.Min(state.Name.Length, 15)), new Span<byte>(name, 15));
        name[n] = 0;
        _ = prctl(PR_SET_NAME, (nuint)name, 0, 0, 0);
        state.Body();
        return 0;
    }

    [LibraryImport("libc", EntryPoint = "pthread_attr_init")]
    private static partial int pthread_attr_init(ulong* attr);

    [LibraryImport("libc", EntryPoint = "pthread_attr_setstacksize")]
    private static partial int pthread_attr_setstacksize(ulong* attr, nuint size);

    [LibraryImport("libc", EntryPoint = "pthread_attr_destroy")]
    private static partial int pthread_attr_destroy(ulong* attr);

    [LibraryImport("libc", EntryPoint = "pthread_create")]
    private static partial int pthread_create(nuint* thread, ulong* attr, delegate* unmanaged<nint, nint> start, nint arg);

    [LibraryImport("libc", EntryPoint = "pthread_join")]
    private static partial int pthread_join(nuint thread, void** result);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    private sealed record StartState(string Name, Action Body);
}
