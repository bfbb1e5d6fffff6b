namespace Pluma.Mpm.Common;

/// <summary>
/// MaxConnectionsPerChild bookkeeping (server/mpm_common.c ap_mpm_set_max_requests, counted in each MPM's child loop): connections, not requests, are counted.
/// event/worker treat any non-zero value as a limit, so a negative one is exhausted at once
/// (Apache's observed behaviour: such children stop right after starting); prefork treats
/// zero and negative values as unlimited.
/// </summary>
public struct ConnectionsPerChild
{
    private long _remaining;
    private bool _unlimited;

    /// <summary>The counter of a worker or event child.</summary>
    public static ConnectionsPerChild ForThreaded(int max) => new() { _unlimited = max == 0, _remaining = max };

    /// <summary>The counter of a prefork child.</summary>
    public static ConnectionsPerChild ForPrefork(int max) => new() { _unlimited = max <= 0, _remaining = max };

    /// <summary>No more connections may be accepted: the child stops gracefully.</summary>
    public readonly bool Exhausted => !_unlimited && _remaining <= 0;

    /// <summary>Connections left (long.MaxValue when unlimited).</summary>
    public readonly long Remaining => _unlimited ? long.MaxValue : _remaining;

    /// <summary>One more connection was accepted.</summary>
    public void CountAccepted()
    {
        if (!_unlimited)
        {
            _remaining--;
        }
    }
}
