using System.Runtime.InteropServices;
using System.Threading;

namespace Pluma.Mpm.Common;

/// <summary>
/// A counting semaphore on one futex word (Linux futex(2), private to the process): a post is
/// one atomic increment plus, only when a thread sleeps on the word, one FUTEX_WAKE; a wait that
/// finds a token takes it without a system call, else sleeps in one FUTEX_WAIT. The listener-to-
/// worker hand-off is the MPM's hottest wake-up: Monitor.Pulse/Wait cost the woken worker a
/// second futex round to take back the lock its waker still held, and the condition's own
/// mutex more (bench/RESULTS.md, "System calls per request"). The word lives in native memory,
/// where the GC never moves it (the kernel keys the sleepers by its address); the semaphore
/// lives as long as its queue, and its finalizer frees the word.
/// </summary>
internal sealed unsafe partial class FutexSemaphore
{
    private const int FUTEX_WAIT_PRIVATE = 128;
    private const int FUTEX_WAKE_PRIVATE = 129;
    private static readonly long s_sysFutex = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 202,
        Architecture.Arm64 => 98,
        _ => throw new PlatformNotSupportedException("futex(2) number unknown for " + RuntimeInformation.ProcessArchitecture),
    };

    private int* _tokens = (int*)NativeMemory.AllocZeroed(sizeof(int));
    private int _sleepers;
    // Sleepers a FUTEX_WAKE was sent to that have not run yet (they still count in _sleepers).
    private int _waking;

    ~FutexSemaphore() => Free();

    /// <summary>Tokens not yet taken.</summary>
    public int Count => Volatile.Read(ref *_tokens);

    /// <summary>Threads asleep in <see cref="Wait"/> (those being woken included).</summary>
    public int Sleepers => Volatile.Read(ref _sleepers);

    /// <summary>Sleepers woken that have not run yet.</summary>
    public int Waking => Volatile.Read(ref _waking);

    /// <summary>Adds one token and wakes one sleeper, if any.</summary>
    public void Post()
    {
        Release();
        WakeOne();
    }

    /// <summary>
    /// Adds one token without waking anyone: a thread that is awake takes it before it sleeps.
    /// The increment is a full fence: either the caller's next read of <see cref="Sleepers"/> sees
    /// a sleeper announced, or that sleeper's FUTEX_WAIT sees the token (the kernel compares the
    /// word before sleeping) and it does not sleep.
    /// </summary>
    public void Release() => Interlocked.Increment(ref *_tokens);

    /// <summary>Wakes one sleeper, if there is one.</summary>
    public void WakeOne()
    {
        if (Volatile.Read(ref _sleepers) == 0)
        {
            return;
        }

        Interlocked.Increment(ref _waking);
        if (syscall(s_sysFutex, _tokens, FUTEX_WAKE_PRIVATE, 1, null, null, 0) <= 0)
        {
            // Nobody was in the kernel's queue yet (the sleeper announced itself and then found
            // the token): no one is on the way.
            DecrementIfPositive(ref _waking);
        }
    }

    /// <summary>Takes one token, sleeping until there is one.</summary>
    public void Wait()
    {
        while (true)
        {
            int v = Volatile.Read(ref *_tokens);
            if (v > 0)
            {
                if (Interlocked.CompareExchange(ref *_tokens, v - 1, v) == v)
                {
                    return;
                }

                continue;
            }

            Interlocked.Increment(ref _sleepers);
            // Returns at once (EAGAIN) when a token came since the read above; EINTR retries.
            _ = syscall(s_sysFutex, _tokens, FUTEX_WAIT_PRIVATE, 0, null, null, 0);
            Interlocked.Decrement(ref _sleepers);
            // Whether this thread was the one woken or returned for another reason, one fewer is on
            // the way: counting too few awake costs a spare wake-up, too many could strand a token.
            DecrementIfPositive(ref _waking);
        }
    }

    private static void DecrementIfPositive(ref int value)
    {
        int v;
        while ((v = Volatile.Read(ref value)) > 0 && Interlocked.CompareExchange(ref value, v - 1, v) != v)
        {
        }
    }

    // Only the finalizer frees the word: a thread inside Wait keeps the semaphore reachable, so
    // the word can never be freed under a sleeper.
    private void Free()
    {
        int* p = _tokens;
        _tokens = null;
        if (p != null)
        {
            NativeMemory.Free(p);
        }
    }

    // glibc's syscall(2) is assembly that moves its integer arguments into registers: declaring
    // it with fixed parameters is safe on x86-64 and arm64.
    [LibraryImport("libc", EntryPoint = "syscall")]
    private static partial long syscall(long number, int* uaddr, int op, int val, void* timeout, int* uaddr2, int val3);
}
