using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Pluma.Mpm.Common;
using Xunit;

namespace Pluma.Mpm.Tests;

/// <summary>
/// The event MPM's bounded wake (WorkQueue with boundedWake): a push wakes a sleeping worker only
/// when fewer workers than CPUs will look at the queue anyway, and an item never stays behind a
/// worker that has blocked. Real threads on a real futex; the CPU count and the freshness window
/// are given, so the outcome does not depend on the machine's cores or load.
/// </summary>
public sealed class WorkQueueWakeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void OneCpuAndAFreshWorkerTakesTheWholeBatchWhileTheOthersSleep()
    {
        // Freshness of an hour: the worker that took the first item counts as coming back.
        var queue = new WorkQueue<string>(3, null, boundedWake: true, cpus: 1, freshTicks: Stopwatch.Frequency * 3600);
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
        var queue = new WorkQueue<string>(2, null, boundedWake: true, cpus: 1, freshTicks: Stopwatch.Frequency / 1000);
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
        var queue = new WorkQueue<string>(2, null, boundedWake: false, cpus: 1, freshTicks: Stopwatch.Frequency * 3600);
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
