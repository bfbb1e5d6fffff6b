using System.Collections.Generic;

namespace Pluma.Modules.ProxyBalancer;

/// <summary>
/// The lbmethod providers (mod_lbmethod_byrequests, mod_lbmethod_bybusyness): which usable member
/// takes the next request. Both walk lbset 0, 1, ... and within a set the non-standby members
/// first, the hot standbys only when none of those is usable; a member in error state is offered
/// to <c>retry</c> first (it comes back once its retry= time has passed).
/// </summary>
public static class LbMethods
{
    /// <summary>
    /// find_best_byrequests: each usable member's lbstatus grows by its lbfactor; the one with the
    /// highest lbstatus wins and gives back the sum of the factors, so that over time each member
    /// is chosen in proportion to its loadfactor.
    /// </summary>
    public static BalancerMember? ByRequests(IReadOnlyList<BalancerMember> members, Action<BalancerMember> retry, out int lbStatus) =>
        Find(members, retry, static (candidate, m) => m.LbStatus > candidate.LbStatus, out lbStatus);

    /// <summary>
    /// find_best_bybusyness: the usable member with the fewest requests in progress; among equals,
    /// the byrequests rule (highest lbstatus).
    /// </summary>
    public static BalancerMember? ByBusyness(IReadOnlyList<BalancerMember> members, Action<BalancerMember> retry, out int lbStatus) =>
        Find(members, retry, static (candidate, m) => m.Busy < candidate.Busy || (m.Busy == candidate.Busy && m.LbStatus > candidate.LbStatus), out lbStatus);

    private static BalancerMember? Find(IReadOnlyList<BalancerMember> members, Action<BalancerMember> retry, Func<BalancerMember, BalancerMember, bool> better, out int lbStatus)
    {
        lbStatus = 0;
        int maxSet = 0;
        foreach (BalancerMember m in members)
        {
            maxSet = Math.Max(maxSet, m.LbSet);
        }

        for (int set = 0; set <= maxSet; set++)
        {
            int total = 0;
            BalancerMember? candidate = null;
            foreach (bool standby in (ReadOnlySpan<bool>)[false, true])
            {
                foreach (BalancerMember m in members)
                {
                    if (m.LbSet != set || m.IsStandby != standby || m.IsDraining)
                    {
                        continue;
                    }

                    if (!m.IsUsable)
                    {
                        retry(m);
                    }

                    if (m.IsUsable)
                    {
                        m.LbStatus += m.LbFactor;
                        total += m.LbFactor;
                        if (candidate is null || better(candidate, m))
                        {
                            candidate = m;
                        }
                    }
                }

                if (candidate is not null)
                {
                    break;
                }
            }

            if (candidate is not null)
            {
                lbStatus = candidate.LbStatus; // as chosen, before it gives back the total (Apache's debug line)
                candidate.LbStatus -= total;
                return candidate;
            }
        }

        return null;
    }
}
