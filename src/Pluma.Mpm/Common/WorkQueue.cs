using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using Pluma.Connections;

namespace Pluma.Mpm.Common;

/// <summary>
/// The FIFO between a child's listener and its worker threads (Apache's fd_queue), with the
/// count of idle workers the listener needs for its accept decisions. No allocation once warm.
/// Beside connections it carries secondary work a connection hands to idle workers (HTTP/2
/// streams, <see cref="ChildWorkerPool{T}"/>), taken first: it only ever goes to a worker that is idle.
/// <para>
/// With <c>boundedWake</c> (the event MPM, whose items are single requests) a push wakes a sleeping
/// worker only when fewer workers than the process has CPUs will look at the queue anyway: those
/// awake in <see cref="Pop"/>, those being woken, and those that took an item less than
/// <see cref="FreshTicks"/> ago (on a CPU and back for more within microseconds). A worker takes
/// the next queued item before it sleeps, so on one core one worker serves the listener's batch of
/// ready connections in order, instead of one futex wake and one context switch per request
/// (bench/README.md, "The listener-to-worker hand-off"). A worker that ran an item longer than
/// that (a CGI, a proxied backend, a request body from a slow client) no longer counts, and the
/// listener calls <see cref="WakeIfShort"/> at least every millisecond while items wait, so no
/// item waits behind a worker that is blocked.
/// </para>
/// <para>
/// With <see cref="QueueWake.PerQueuedItem"/> (the worker MPM, whose items are whole connections a
/// worker may hold for seconds) a push wakes a sleeper unless every queued item has its own worker
/// that will look at the queue: one awake in <see cref="Pop"/>, one being woken, or one that took
/// its item less than <see cref="FreshTicks"/> ago and has not said it holds it
/// (<see cref="MarkHolding"/>: a worker does, and calls <see cref="WakeIfShort"/>, before it waits
/// on its connection). So a Connection: close load is served in order by the worker that comes
/// back, and a queued connection waits behind a busy worker while another sleeps at most until its
/// worker turns to waiting or the freshness window ends: the listener calls WakeIfShort at least
/// every millisecond while items wait, and that wakes as many as are short, not one.
/// </para>
/// </summary>
internal sealed class WorkQueue<T>
    where T : class
{
    private readonly Queue<T> _items;
    private readonly Queue<SecondaryWork> _secondary = new();
    // Guards _items, _secondary and _completed only: nobody waits while holding it.
    private readonly object _gate = new();
    // One token per pushed item or secondary work (and, once completed, one passed on from worker to worker).
    private readonly FutexSemaphore _ready = new();
    // The listener waits here, apart from the workers, so a Pulse for an item never wakes it.
    private readonly object _idleGate = new();
    private int _idle;
    // _items.Count, written under _gate, readable without it (the scoreboard's queue figure).
    private int _queued;
    // _items.Count + _secondary.Count, written under _gate, readable without it (Count): the
    // event listener asks at every readable connection, and a lock round trip there cost more
    // than the rest of the question.
    private int _pending;
    // Threads in WaitForIdleWorker (the worker MPM's listener): a worker that turns idle pulses
    // _idleGate only when one waits, not at every item it takes (the event MPM never waits there).
    private int _idleWaiters;
    private bool _completed;
    private readonly Action? _workerIdle;
    private readonly QueueWake _wake;
    // Per worker: the Stopwatch timestamp at which it took the item it runs; InPop while it is in
    // Pop, Holding once it waits on its item.
    private readonly long[] _busySince;
    private const long InPop = 0;
    // Below every timestamp MarkBusy writes: a small value, not a time (Stopwatch counts from the
    // boot, so on a machine up for less than the freshness window a 1 read as a time was "fresh").
    private const long Holding = 1;
    private readonly int _cpus;
    private readonly long _freshTicks;

    /// <summary>How long a worker that took an item still counts as coming back for the next one: 1 ms.</summary>
    internal static readonly long FreshTicks = Stopwatch.Frequency / 1000;

    /// <param name="workers">The worker threads that call <see cref="Pop"/> (numbered from 0).</param>
    /// <param name="workerIdle">Called each time a worker starts waiting (the event listener
    /// resumes accepting at once instead of at its next poll timeout).</param>
    /// <param name="wake">When a push wakes a sleeping worker (see the class comment).</param>
    public WorkQueue(int workers, Action? workerIdle = null, QueueWake wake = QueueWake.EveryPush)
        : this(workers, workerIdle, wake, Environment.ProcessorCount, FreshTicks)
    {
    }

    /// <summary>For tests: the CPUs and the freshness window given rather than the machine's.</summary>
    internal WorkQueue(int workers, Action? workerIdle, QueueWake wake, int cpus, long freshTicks)
    {
        _items = new Queue<T>(workers);
        _busySince = new long[workers];
        _workerIdle = workerIdle;
        _wake = wake;
        _cpus = Math.Max(1, cpus);
        _freshTicks = freshTicks;
    }

    /// <summary>Workers asleep waiting for an item (tests watch it).</summary>
    internal int Sleeping => _ready.Sleepers;

    /// <summary>Workers waiting for work right now.</summary>
    public int IdleWorkers => Volatile.Read(ref _idle);

    /// <summary>
    /// Queued items (secondary work included) not yet taken: the figure as the last change under
    /// the lock left it (a reader holding the lock would see the same value, only later).
    /// </summary>
    public int Count => Volatile.Read(ref _pending);

    /// <summary>Queued items, read without the lock: a figure for the scoreboard, not for decisions.</summary>
    public int QueuedNow => Volatile.Read(ref _queued);

    public void Push(T item)
    {
        lock (_gate)
        {
            _items.Enqueue(item);
            Volatile.Write(ref _queued, _items.Count);
            Volatile.Write(ref _pending, _items.Count + _secondary.Count);
        }

        // Outside the lock: the worker woken takes the item without waiting for the pusher.
        if (_wake != QueueWake.EveryPush)
        {
            _ready.Release();
            WakeIfShort();
        }
        else
        {
            _ready.Post();
        }
    }

    /// <summary>
    /// Wakes one sleeping worker when items wait and fewer workers than CPUs will look at the
    /// queue without it. The listener calls it after each push and, while items wait, at least
    /// every millisecond (a worker that was fresh at the push may since have blocked).
    /// </summary>
    public void WakeIfShort()
    {
        int sleepers = _ready.Sleepers;
        if (sleepers == 0 || Volatile.Read(ref _queued) == 0)
        {
            return;
        }

        if (_wake == QueueWake.PerQueuedItem)
        {
            WakeOnePerUnservedItem();
            return;
        }

        int awake = Volatile.Read(ref _idle) - sleepers + _ready.Waking;
        if (awake < _cpus)
        {
            awake += FreshWorkers(_cpus - awake);
        }

        if (awake < _cpus)
        {
            _ready.WakeOne();
        }
    }

    /// <summary>
    /// <see cref="QueueWake.PerQueuedItem"/>: wakes one sleeper for each queued item (secondary work
    /// included) beyond the workers that will look at the queue without a wake. A worker awake in
    /// Pop does not sleep while a token is left, and every queued item has its token, so each of
    /// them takes an item before it could sleep.
    /// </summary>
    private void WakeOnePerUnservedItem()
    {
        // Read under the lock, as Pop changes it with the idle count; a worker that takes an item
        // after this read is counted too few awake (a spare wake), never too many.
        int queued = QueuedWithSecondary();
        int awake = Volatile.Read(ref _idle) - _ready.Sleepers + _ready.Waking;
        if (awake < queued)
        {
            awake += FreshWorkers(queued - awake);
        }

        for (int missing = queued - awake; missing > 0 && _ready.Sleepers > _ready.Waking; missing--)
        {
            _ready.WakeOne();
        }
    }

    private int QueuedWithSecondary()
    {
        lock (_gate)
        {
            return _items.Count + _secondary.Count;
        }
    }

    /// <summary>
    /// The worker holds its item and waits on it (a keep-alive connection, a slow client): it no
    /// longer counts as coming back to the queue (<see cref="QueueWake.PerQueuedItem"/>).
    /// </summary>
    public void MarkHolding(int worker) => Volatile.Write(ref _busySince[worker], Holding);

    /// <summary>Workers that took their item less than the freshness window ago, counted up to <paramref name="enough"/>.</summary>
    private int FreshWorkers(int enough)
    {
        long now = Stopwatch.GetTimestamp();
        int fresh = 0;
        for (int i = 0; i < _busySince.Length && fresh < enough; i++)
        {
            long since = Volatile.Read(ref _busySince[i]);
            if (since > Holding && now - since < _freshTicks)
            {
                fresh++;
            }
        }

        return fresh;
    }

    /// <summary>
    /// Queues <paramref name="work"/> for a worker that is idle now and not already promised to a
    /// queued item; false (nothing queued) when there is none or the queue is completed.
    /// </summary>
    public bool TryPushSecondary(SecondaryWork work)
    {
        lock (_gate)
        {
            if (_completed || Volatile.Read(ref _idle) <= _items.Count + _secondary.Count)
            {
                return false;
            }

            _secondary.Enqueue(work);
            Volatile.Write(ref _pending, _items.Count + _secondary.Count);
        }

        _ready.Post();
        return true;
    }

    /// <summary>Takes an item without waiting; null when there is none.</summary>
    public T? TryPop()
    {
        lock (_gate)
        {
            T? item = _items.Count > 0 ? _items.Dequeue() : null;
            Volatile.Write(ref _queued, _items.Count);
            Volatile.Write(ref _pending, _items.Count + _secondary.Count);
            // Its token stays behind: a worker that takes it finds the queue empty and waits again.
            return item;
        }
    }

    /// <summary>
    /// Blocks until an item or secondary work arrives (the work comes back in
    /// <paramref name="secondary"/>, and null); null once the queue is completed and empty.
    /// </summary>
    /// <param name="worker">The calling worker's number (0 to workers - 1).</param>
    /// <param name="secondary">Secondary work taken instead of an item.</param>
    public T? Pop(int worker, out SecondaryWork? secondary)
    {
        secondary = null;
        Volatile.Write(ref _busySince[worker], InPop);
        // Counted idle first, then announced: a listener that registered as waiting before the
        // increment is pulsed, one that registers after it sees the idle worker in its check.
        Interlocked.Increment(ref _idle);
        NotifyIdle();
        _workerIdle?.Invoke();
        while (true)
        {
            _ready.Wait();
            lock (_gate)
            {
                if (_secondary.Count > 0)
                {
                    secondary = _secondary.Dequeue();
                    Volatile.Write(ref _pending, _items.Count + _secondary.Count);
                    Interlocked.Decrement(ref _idle);
                    MarkBusy(worker);
                    return null;
                }

                if (_items.Count > 0)
                {
                    // Item and idle count change together, under the lock, as the listener
                    // reads them (idle workers minus queued items).
                    T item = _items.Dequeue();
                    Volatile.Write(ref _queued, _items.Count);
                    Volatile.Write(ref _pending, _items.Count + _secondary.Count);
                    Interlocked.Decrement(ref _idle);
                    MarkBusy(worker);
                    return item;
                }

                if (_completed)
                {
                    break;
                }
            }

            // A token whose item TryPop took: wait for the next.
        }

        Interlocked.Decrement(ref _idle);
        // Completed and drained: pass the token on, so every worker learns it.
        _ready.Post();
        return null;
    }

    private void MarkBusy(int worker) => Volatile.Write(ref _busySince[worker], Math.Max(Holding + 1, Stopwatch.GetTimestamp()));

    /// <summary>Waits until at least one worker is idle, or <paramref name="timeoutMs"/> passes.</summary>
    public bool WaitForIdleWorker(int timeoutMs)
    {
        Interlocked.Increment(ref _idleWaiters);
        try
        {
            return WaitForIdleWorkerCore(Environment.TickCount64 + timeoutMs);
        }
        finally
        {
            Interlocked.Decrement(ref _idleWaiters);
        }
    }

    private bool WaitForIdleWorkerCore(long deadline)
    {
        while (true)
        {
            lock (_gate)
            {
                if (Volatile.Read(ref _idle) > _items.Count + _secondary.Count)
                {
                    return true;
                }

                if (_completed)
                {
                    return false;
                }
            }

            long left = deadline - Environment.TickCount64;
            if (left <= 0)
            {
                return false;
            }

            lock (_idleGate)
            {
                // Short waits: a worker that turns idle between the check and here is seen next round.
                Monitor.Wait(_idleGate, (int)Math.Min(left, 20));
            }
        }
    }

    /// <summary>Announces that a worker became idle (wakes a listener waiting in <see cref="WaitForIdleWorker"/>).</summary>
    public void NotifyIdle()
    {
        // The increment of _idle (or whatever the caller changed) comes before this read, and a
        // waiter's registration before its check, both full fences: either the waiter sees the
        // change or this sees the waiter. Its waits are short anyway (20 ms).
        if (Volatile.Read(ref _idleWaiters) == 0)
        {
            return;
        }

        lock (_idleGate)
        {
            Monitor.PulseAll(_idleGate);
        }
    }

    /// <summary>No more items: waiting workers get null once the queue is drained.</summary>
    public void Complete()
    {
        int queued;
        lock (_gate)
        {
            _completed = true;
            queued = _items.Count + _secondary.Count;
        }

        _ready.Post();
        if (_wake == QueueWake.PerQueuedItem)
        {
            // No listener looks again from now on: a sleeper for each item still queued.
            for (int i = 0; i < queued; i++)
            {
                _ready.WakeOne();
            }
        }

        NotifyIdle();
    }
}

/// <summary>Work a connection hands to an idle worker: what to run, and the client its scoreboard slot shows.</summary>
internal sealed record SecondaryWork(System.Net.IPAddress Client, Action<IWorkerStatus> Run);

/// <summary>When a push to a <see cref="WorkQueue{T}"/> wakes a sleeping worker.</summary>
internal enum QueueWake
{
    /// <summary>Every push wakes one.</summary>
    EveryPush,

    /// <summary>Only while fewer workers than CPUs will look at the queue (the event MPM: items are single requests).</summary>
    UpToCpus,

    /// <summary>Unless every queued item has a worker that will look at the queue (the worker MPM: items are whole connections).</summary>
    PerQueuedItem,
}
