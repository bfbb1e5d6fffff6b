using System.Collections.Generic;
using System.Threading;
using Pluma.Connections;

namespace Pluma.Mpm.Common;

/// <summary>
/// The FIFO between a child's listener and its worker threads (Apache's fd_queue), with the
/// count of idle workers the listener needs for its accept decisions. No allocation once warm.
/// Beside connections it carries secondary work a connection hands to idle workers (HTTP/2
/// streams, <see cref="ChildWorkerPool{T}"/>), taken first: it only ever goes to a worker that is idle.
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
    private bool _completed;
    private readonly Action? _workerIdle;

    /// <param name="capacity">Initial room for queued items.</param>
    /// <param name="workerIdle">Called each time a worker starts waiting (the event listener
    /// resumes accepting at once instead of at its next poll timeout).</param>
    public WorkQueue(int capacity, Action? workerIdle = null)
    {
        _items = new Queue<T>(capacity);
        _workerIdle = workerIdle;
    }

    /// <summary>Workers waiting for work right now.</summary>
    public int IdleWorkers => Volatile.Read(ref _idle);

    /// <summary>Queued items (secondary work included) not yet taken.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count + _secondary.Count;
            }
        }
    }

    /// <summary>Queued items, read without the lock: a figure for the scoreboard, not for decisions.</summary>
    public int QueuedNow => Volatile.Read(ref _queued);

    public void Push(T item)
    {
        lock (_gate)
        {
            _items.Enqueue(item);
            Volatile.Write(ref _queued, _items.Count);
        }

        // Outside the lock: the worker woken takes the item without waiting for the pusher.
        _ready.Post();
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
            // Its token stays behind: a worker that takes it finds the queue empty and waits again.
            return item;
        }
    }

    /// <summary>
    /// Blocks until an item or secondary work arrives (the work comes back in
    /// <paramref name="secondary"/>, and null); null once the queue is completed and empty.
    /// </summary>
    public T? Pop(out SecondaryWork? secondary)
    {
        secondary = null;
        NotifyIdle();
        Interlocked.Increment(ref _idle);
        _workerIdle?.Invoke();
        while (true)
        {
            _ready.Wait();
            lock (_gate)
            {
                if (_secondary.Count > 0)
                {
                    secondary = _secondary.Dequeue();
                    Interlocked.Decrement(ref _idle);
                    return null;
                }

                if (_items.Count > 0)
                {
                    // Item and idle count change together, under the lock, as the listener
                    // reads them (idle workers minus queued items).
                    T item = _items.Dequeue();
                    Volatile.Write(ref _queued, _items.Count);
                    Interlocked.Decrement(ref _idle);
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

    /// <summary>Waits until at least one worker is idle, or <paramref name="timeoutMs"/> passes.</summary>
    public bool WaitForIdleWorker(int timeoutMs)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
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
        lock (_idleGate)
        {
            Monitor.PulseAll(_idleGate);
        }
    }

    /// <summary>No more items: waiting workers get null once the queue is drained.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
        }

        _ready.Post();
        NotifyIdle();
    }
}

/// <summary>Work a connection hands to an idle worker: what to run, and the client its scoreboard slot shows.</summary>
internal sealed record SecondaryWork(System.Net.IPAddress Client, Action<IWorkerStatus> Run);
