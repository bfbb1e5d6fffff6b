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
    private readonly object _gate = new();
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
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>
    /// Queues <paramref name="work"/> for a worker that is idle now and not already promised to a
    /// queued item; false (nothing queued) when there is none or the queue is completed.
    /// </summary>
    public bool TryPushSecondary(SecondaryWork work)
    {
        lock (_gate)
        {
            if (_completed || _idle <= _items.Count + _secondary.Count)
            {
                return false;
            }

            _secondary.Enqueue(work);
            Monitor.Pulse(_gate);
            return true;
        }
    }

    /// <summary>Takes an item without waiting; null when there is none.</summary>
    public T? TryPop()
    {
        lock (_gate)
        {
            T? item = _items.Count > 0 ? _items.Dequeue() : null;
            Volatile.Write(ref _queued, _items.Count);
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
        lock (_gate)
        {
            _idle++;
            _workerIdle?.Invoke();
            try
            {
                while (_items.Count == 0)
                {
                    if (_secondary.Count > 0)
                    {
                        secondary = _secondary.Dequeue();
                        return null;
                    }

                    if (_completed)
                    {
                        return null;
                    }

                    Monitor.Wait(_gate);
                }

                if (_secondary.Count > 0)
                {
                    secondary = _secondary.Dequeue();
                    return null;
                }

                T item = _items.Dequeue();
                Volatile.Write(ref _queued, _items.Count);
                return item;
            }
            finally
            {
                _idle--;
            }
        }
    }

    /// <summary>Waits until at least one worker is idle, or <paramref name="timeoutMs"/> passes.</summary>
    public bool WaitForIdleWorker(int timeoutMs)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        while (true)
        {
            lock (_gate)
            {
                if (_idle > _items.Count + _secondary.Count)
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
            Monitor.PulseAll(_gate);
        }

        NotifyIdle();
    }
}

/// <summary>Work a connection hands to an idle worker: what to run, and the client its scoreboard slot shows.</summary>
internal sealed record SecondaryWork(System.Net.IPAddress Client, Action<IWorkerStatus> Run);
