using System.Diagnostics;
using System.Threading;

namespace Pluma.Testing;

/// <summary>
/// Waits for a real server to reach a state by asking it again and again (a process count, a
/// server-status figure, a log line). Servers are separate processes, so there is nothing to wait
/// on but the answer; the deadlines are generous so that a loaded 2-core machine passes.
/// </summary>
public static class Poll
{
    private const int DefaultIntervalMs = 100;

    /// <summary>
    /// Probes until <paramref name="done"/> holds and returns that value; after
    /// <paramref name="timeoutMs"/> fails with <paramref name="what"/> and the last value seen.
    /// </summary>
    public static T Until<T>(Func<T> probe, Func<T, bool> done, string what, int timeoutMs = 15_000)
    {
        T value = Probe(probe, done, timeoutMs, DefaultIntervalMs);
        if (!done(value))
        {
            throw new TimeoutException($"timed out after {timeoutMs} ms waiting for {what} (last: {value})");
        }

        return value;
    }

    /// <summary>Probes until <paramref name="done"/> holds or the time is up; returns the last value, for the caller's own assertion.</summary>
    public static T Last<T>(Func<T> probe, Func<T, bool> done, int timeoutMs, int intervalMs = DefaultIntervalMs) =>
        Probe(probe, done, timeoutMs, intervalMs);

    /// <summary>Whether <paramref name="done"/> came true within <paramref name="timeoutMs"/>.</summary>
    public static bool Within(Func<bool> done, int timeoutMs) => Probe(done, d => d, timeoutMs, DefaultIntervalMs);

    private static T Probe<T>(Func<T> probe, Func<T, bool> done, int timeoutMs, int intervalMs)
    {
        var sw = Stopwatch.StartNew();
        T value = probe();
        while (!done(value) && sw.ElapsedMilliseconds < timeoutMs)
        {
            Thread.Sleep(intervalMs);
            value = probe();
        }

        return value;
    }
}
