using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Pluma.Mpm.Common;
using Xunit;

namespace Pluma.Mpm.Tests;

/// <summary>
/// The bounded wakes of WorkQueue. Event's (UpToCpus): a push wakes a sleeping worker only when
/// fewer workers than CPUs will look at the queue anyway, and an item never stays behind a worker
/// that has blocked. Worker's (PerQueuedItem): a push wakes one unless every queued connection
/// has a worker coming for it, and a worker that turns to wait on its connection hands over. Real threads on a real futex; the CPU count and the freshness window
/// are given, so the outcome does not depend on the machine's cores or load.
/// </summary>
public sealed class WorkQueueWakeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    // A freshness window longer than any machine's uptime: a worker that took an item stays fresh
    // for the whole test. (Stopwatch counts from the boot: with a window of an hour, a marker
    // mistaken for a time counted as fresh only on machines up for less than an hour, as CI's are.)
    private static readonly long NeverStale = long.MaxValue / 4;

    [Fact]
    public void OneCpuAndAFreshWorkerTakesTheWholeBatchWhileTheOthersSleep()
    {
        // Never stale: the worker that took the first item counts as coming back.
        var queue = new WorkQueue<string>(3, null, QueueWake.UpToCpus, cpus: 1, freshTicks: NeverStale);
        var takenBy = new ConcurrentQueue<(int Worker, string Item)>();
        using var release = new ManualResetEventSlim();
        Thread[] workers = StartWorkers(queue, 3, takenBy, item => item == "first" ? release : null);
        WaitUntil(() => queue.Sleeping == 3, "three workers asleep");

        queue.Push("first");
        WaitUntil(() => takenBy.Count == 1, "the first item taken");
        WaitUntil(() => queue.Sleeping == 2, "the woken worker running the first item");
        queue.Push("second");
        queue.Push("third");
        // The running worker is fresh and there is one CPU: nobody else is woken.
        Thread.Sleep(200);
        queue.WakeIfShort();
        Assert.Equal(2, queue.Sleeping);
        release.Set();
        WaitUntil(() => takenBy.Count == 3, "the batch served");
        Assert.Single(takenBy.Select(t => t.Worker).Distinct());
        Assert.Equal(["first", "second", "third"], takenBy.Select(t => t.Item));

        queue.Complete();
        JoinAll(workers);
    }

    [Fact]
    public void AnItemBehindAWorkerThatBlockedIsTakenByAnotherOnceTheListenerLooksAgain()
    {
        // Freshness of 1 ms: a worker blocked for longer no longer counts.
        var queue = new WorkQueue<string>(2, null, QueueWake.UpToCpus, cpus: 1, freshTicks: Stopwatch.Frequency / 1000);
        var takenBy = new ConcurrentQueue<(int Worker, string Item)>();
        using var blocked = new ManualResetEventSlim();
        Thread[] workers = StartWorkers(queue, 2, takenBy, item => item == "slow" ? blocked : null);
        WaitUntil(() => queue.Sleeping == 2, "two workers asleep");

        queue.Push("slow");
        WaitUntil(() => takenBy.Count == 1, "the slow item taken");
        Thread.Sleep(20);
        queue.Push("next");
        // The listener's periodic look (at least every millisecond while items wait).
        var clock = Stopwatch.StartNew();
        while (takenBy.Count < 2 && clock.Elapsed < Patience)
        {
            queue.WakeIfShort();
            Thread.Sleep(1);
        }

        Assert.Equal(2, takenBy.Count);
        Assert.Equal(2, takenBy.Select(t => t.Worker).Distinct().Count());
        blocked.Set();
        queue.Complete();
        JoinAll(workers);
    }

    [Fact]
    public void WithoutBoundedWakeEveryPushWakesAWorker()
    {
        var queue = new WorkQueue<string>(2, null, QueueWake.EveryPush, cpus: 1, freshTicks: NeverStale);
        var takenBy = new ConcurrentQueue<(int Worker, string Item)>();
        using var blocked = new ManualResetEventSlim();
        Thread[] workers = StartWorkers(queue, 2, takenBy, item => item == "long" ? blocked : null);
        WaitUntil(() => queue.Sleeping == 2, "two workers asleep");

        queue.Push("long");
        WaitUntil(() => takenBy.Count == 1, "the long item taken");
        queue.Push("next");
        // No listener look needed: the push itself woke the other worker.
        WaitUntil(() => takenBy.Count == 2, "the second item taken by the other worker");
        Assert.Equal(2, takenBy.Select(t => t.Worker).Distinct().Count());
        blocked.Set();
        queue.Complete();
        JoinAll(workers);
    }

    [Fact]
    public void PerQueuedItemAFreshWorkerTakesTheNextConnectionWhileTheOthersSleep()
    {
        // The worker MPM under Connection: close: the worker that comes back serves the next.
        var queue = new WorkQueue<string>(3, null, QueueWake.PerQueuedItem, cpus: 1, freshTicks: NeverStale);
        var takenBy = new ConcurrentQueue<(int Worker, string Item)>();
        using var release = new ManualResetEventSlim();
        Thread[] workers = StartWorkers(queue, 3, takenBy, item => item == "first" ? release : null);
        WaitUntil(() => queue.Sleeping == 3, "three workers asleep");

        queue.Push("first");
        WaitUntil(() => takenBy.Count == 1 && queue.Sleeping == 2, "the first item taken");
        queue.Push("second");
        Thread.Sleep(200);
        queue.WakeIfShort();
        Assert.Equal(2, queue.Sleeping);
        release.Set();
        WaitUntil(() => takenBy.Count == 2, "the second item served");
        Assert.Single(takenBy.Select(t => t.Worker).Distinct());

        queue.Complete();
        JoinAll(workers);
    }

    [Fact]
    public void PerQueuedItemMoreQueuedThanFreshWorkersWakesASleeperAtThePush()
    {
        var queue = new WorkQueue<string>(3, null, QueueWake.PerQueuedItem, cpus: 8, freshTicks: NeverStale);
        var takenBy = new ConcurrentQueue<(int Worker, string Item)>();
        using var blocked = new ManualResetEventSlim();
        Thread[] workers = StartWorkers(queue, 3, takenBy, item => blocked);
        WaitUntil(() => queue.Sleeping == 3, "three workers asleep");

        queue.Push("first");
        WaitUntil(() => takenBy.Count == 1 && queue.Sleeping == 2, "the first item taken");
        queue.Push("second"); // the fresh worker will come for it
        queue.Push("third");  // two queued, one fresh worker: one more must wake, with no listener look
        WaitUntil(() => takenBy.Count == 2, "a second worker woken by the push");
        Assert.Equal(2, takenBy.Select(t => t.Worker).Distinct().Count());
        blocked.Set();
        WaitUntil(() => takenBy.Count == 3, "the rest served");
        queue.Complete();
        JoinAll(workers);
    }

    [Fact]
    public void PerQueuedItemAWorkerThatTurnsToWaitOnItsConnectionHandsTheQueueOver()
    {
        // Never stale: only the worker's own word (a keep-alive wait) lets another wake.
        var queue = new WorkQueue<string>(2, null, QueueWake.PerQueuedItem, cpus: 1, freshTicks: NeverStale);
        var takenBy = new ConcurrentQueue<(int Worker, string Item)>();
        using var turnToWaiting = new ManualResetEventSlim();
        using var blocked = new ManualResetEventSlim();
        var threads = new Thread[2];
        for (int w = 0; w < 2; w++)
        {
            int index = w;
            threads[w] = new Thread(() =>
            {
                while (queue.Pop(index, out _) is { } item)
                {
                    takenBy.Enqueue((index, item));
                    if (item == "kept")
                    {
                        // Served its first request; now waits for the client's next (WorkerChild's waiting hook).
                        turnToWaiting.Wait(Patience);
                        queue.MarkHolding(index);
                        queue.WakeIfShort();
                        blocked.Wait(Patience);
                    }
                }
            })
            { IsBackground = true };
            threads[w].Start();
        }

        WaitUntil(() => queue.Sleeping == 2, "two workers asleep");
        queue.Push("kept");
        WaitUntil(() => takenBy.Count == 1 && queue.Sleeping == 1, "the kept connection taken");
        queue.Push("next");
        Thread.Sleep(200);
        Assert.Single(takenBy); // still fresh: the next waits for it
        turnToWaiting.Set();
        WaitUntil(() => takenBy.Count == 2, "the next connection taken by the sleeper");
        Assert.Equal(2, takenBy.Select(t => t.Worker).Distinct().Count());
        blocked.Set();
        queue.Complete();
        JoinAll(threads);
    }

    [Fact]
    public void PerQueuedItemOneLookWakesAsManyAsAreShort()
    {
        var queue = new WorkQueue<string>(4, null, QueueWake.PerQueuedItem, cpus: 1, freshTicks: NeverStale);
        var takenBy = new ConcurrentQueue<(int Worker, string Item)>();
        using var blocked = new ManualResetEventSlim();
        Thread[] workers = StartWorkers(queue, 4, takenBy, item => blocked);
        WaitUntil(() => queue.Sleeping == 4, "four workers asleep");

        queue.Push("held");
        WaitUntil(() => takenBy.Count == 1 && queue.Sleeping == 3, "the held item taken");
        queue.Push("a"); // the fresh worker covers it
        Thread.Sleep(100);
        Assert.Single(takenBy);

        // The holder turns out to hold (no WakeIfShort of its own): the next push wakes two.
        int holder = takenBy.Single().Worker;
        queue.MarkHolding(holder);
        queue.Push("b");
        WaitUntil(() => takenBy.Count == 3, "both queued items taken without another look");
        Assert.Equal(3, takenBy.Select(t => t.Worker).Distinct().Count());
        blocked.Set();
        queue.Complete();
        JoinAll(workers);
    }

    [Fact]
    public void PerQueuedItemEveryItemIsServedUnderAMixOfShortAndHeldItems()
    {
        // The worker MPM's listener loop against workers that serve short connections and ones
        // they hold: every item is taken, none waits long while a worker sleeps.
        const int Items = 2000;
        var queue = new WorkQueue<string>(6, null, QueueWake.PerQueuedItem, cpus: 2, freshTicks: Stopwatch.Frequency / 1000);
        long[] pushedAt = new long[Items];
        long maxWaitTicks = 0;
        int taken = 0;
        var threads = new Thread[6];
        for (int w = 0; w < 6; w++)
        {
            int index = w;
            threads[w] = new Thread(() =>
            {
                var random = new Random(index);
                while (queue.Pop(index, out _) is { } item)
                {
                    int i = int.Parse(item, System.Globalization.CultureInfo.InvariantCulture);
                    long waited = Stopwatch.GetTimestamp() - Volatile.Read(ref pushedAt[i]);
                    long seen;
                    while (waited > (seen = Volatile.Read(ref maxWaitTicks)) && Interlocked.CompareExchange(ref maxWaitTicks, waited, seen) != seen)
                    {
                    }

                    Interlocked.Increment(ref taken);
                    if (i % 50 == 0)
                    {
                        queue.MarkHolding(index);
                        queue.WakeIfShort();
                        Thread.Sleep(20); // a keep-alive connection held
                    }
                    else if (random.Next(4) == 0)
                    {
                        Thread.SpinWait(2000); // a short request
                    }
                }
            })
            { IsBackground = true };
            threads[w].Start();
        }

        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Items && clock.Elapsed < Patience;)
        {
            queue.WakeIfShort();
            int waitMs = queue.QueuedNow > 0 ? 1 : 500;
            if (queue.WaitForIdleWorker(waitMs))
            {
                Volatile.Write(ref pushedAt[i], Stopwatch.GetTimestamp());
                queue.Push(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                i++;
            }
        }

        WaitUntil(() => Volatile.Read(ref taken) == Items, "every item taken");
        queue.Complete();
        JoinAll(threads);
        // Generous for a loaded 2-core machine; a stranded item would wait for the test's end.
        Assert.True(maxWaitTicks < Stopwatch.Frequency * 5, $"an item waited {maxWaitTicks * 1000 / Stopwatch.Frequency} ms");
    }

    private static Thread[] StartWorkers(
        WorkQueue<string> queue, int count, ConcurrentQueue<(int, string)> takenBy, Func<string, ManualResetEventSlim?> holdFor)
    {
        var threads = new Thread[count];
        for (int w = 0; w < count; w++)
        {
            int index = w;
            threads[w] = new Thread(() =>
            {
                while (queue.Pop(index, out _) is { } item)
                {
                    takenBy.Enqueue((index, item));
                    holdFor(item)?.Wait(Patience);
                }
            })
            { IsBackground = true, Name = "test-worker-" + w };
            threads[w].Start();
        }

        return threads;
    }

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Patience, "timed out waiting for " + what);
            Thread.Sleep(1);
        }
    }

    private static void JoinAll(Thread[] threads)
    {
        foreach (Thread t in threads)
        {
            Assert.True(t.Join(Patience), t.Name + " did not finish");
        }
    }
}
