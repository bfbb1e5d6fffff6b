using System;
using System.Diagnostics;
using System.Net;
using System.Threading;
using Pluma.Mpm.Common;
using Xunit;

namespace Pluma.Mpm.Tests;

/// <summary>
/// WorkQueue's figures read without its lock (Count: queued items and secondary work) and the
/// idle announcement that pulses only when a listener waits in WaitForIdleWorker.
/// </summary>
public sealed class WorkQueueIdleTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void CountFollowsPushesPopsAndSecondaryWork()
    {
        var queue = new WorkQueue<string>(2, null, QueueWake.UpToCpus, cpus: 1, freshTicks: Stopwatch.Frequency / 1000);
        Assert.Equal(0, queue.Count);
        queue.Push("a");
        queue.Push("b");
        Assert.Equal(2, queue.Count);
        Assert.Equal("a", queue.TryPop());
        Assert.Equal(1, queue.Count);

        // Secondary work goes only to an idle worker not promised to a queued item.
        using var idle = new ManualResetEventSlim();
        var worker = new Thread(() =>
        {
            idle.Set();
            while (queue.Pop(0, out SecondaryWork? secondary) is not null || secondary is not null)
            {
            }
        })
        { IsBackground = true };
        worker.Start();
        Assert.True(idle.Wait(Patience));
        WaitUntil(() => queue.Count == 0, "the worker took b");
        WaitUntil(() => queue.IdleWorkers == 1, "the worker idle again");

        // Nobody runs the work while the test looks: a second worker slot never pops here.
        Assert.True(queue.TryPushSecondary(new SecondaryWork(IPAddress.Loopback, _ => { })));
        WaitUntil(() => queue.Count == 0, "the secondary work taken");
        queue.Complete();
        Assert.True(worker.Join(Patience));
    }

    [Fact]
    public void AListenerWaitingForAnIdleWorkerIsToldWhenOneTurnsIdle()
    {
        var queue = new WorkQueue<string>(1, null, QueueWake.PerQueuedItem, cpus: 1, freshTicks: Stopwatch.Frequency / 1000);
        using var release = new ManualResetEventSlim();
        var worker = new Thread(() =>
        {
            while (queue.Pop(0, out _) is not null)
            {
                release.Wait(Patience);
            }
        })
        { IsBackground = true };
        worker.Start();
        WaitUntil(() => queue.IdleWorkers == 1, "the worker idle");
        queue.Push("busy");
        WaitUntil(() => queue.IdleWorkers == 0, "the worker busy");

        // No idle worker: the wait runs out (a bound far beyond the worker's return below would
        // make the next assertion pass without the pulse only after that bound).
        Assert.False(queue.WaitForIdleWorker(50));

        bool? told = null;
        var clock = Stopwatch.StartNew();
        var listener = new Thread(() => told = queue.WaitForIdleWorker((int)Patience.TotalMilliseconds)) { IsBackground = true };
        listener.Start();
        Thread.Sleep(100);
        release.Set();
        Assert.True(listener.Join(Patience));
        Assert.True(told);
        Assert.True(clock.Elapsed < Patience, "the wait ran out instead of seeing the idle worker");
        queue.Complete();
        Assert.True(worker.Join(Patience));
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
}
