namespace Pluma.Mpm.Common;

/// <summary>
/// Lets a check through at most once per interval: for a look that costs a system call and
/// that a loop would otherwise make on every turn (prefork's pipe of death after each connection).
/// The first call is always let through.
/// </summary>
internal sealed class IntervalGate
{
    private readonly long _intervalMs;
    private readonly Func<long> _nowMs;
    private long _next = long.MinValue;

    /// <param name="intervalMs">The least time between two checks, in milliseconds.</param>
    /// <param name="nowMs">The clock in milliseconds (Environment.TickCount64 unless a test gives one).</param>
    public IntervalGate(long intervalMs, Func<long>? nowMs = null)
    {
        _intervalMs = intervalMs;
        _nowMs = nowMs ?? (static () => Environment.TickCount64);
    }

    /// <summary>True when the interval since the last true has passed (and starts it again).</summary>
    public bool Due()
    {
        long now = _nowMs();
        if (now < _next)
        {
            return false;
        }

        _next = now + _intervalMs;
        return true;
    }
}
