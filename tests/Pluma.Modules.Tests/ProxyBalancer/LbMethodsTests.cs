using System.Collections.Generic;
using System.Linq;
using System.Text;
using Pluma.Modules.Proxy;
using Pluma.Modules.ProxyBalancer;
using Xunit;

namespace Pluma.Modules.Tests.ProxyBalancer;

/// <summary>The lbmethods' arithmetic: the schedules mod_lbmethod_byrequests.c's comment promises.</summary>
public sealed class LbMethodsTests
{
    private static List<BalancerMember> Members(params int[] factors) =>
        factors.Select((f, i) => new BalancerMember(new ProxyWorker("http://m" + (char)('a' + i), "http", "m" + (char)('a' + i), 80, null)) { LbFactor = f * 100 }).ToList();

    private static string Schedule(List<BalancerMember> members, int n, bool busyness = false)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < n; i++)
        {
            BalancerMember? m = busyness ? LbMethods.ByBusyness(members, _ => { }, out _) : LbMethods.ByRequests(members, _ => { }, out _);
            sb.Append(m is null ? '-' : m.Worker.Host[1]);
        }

        return sb.ToString();
    }

    [Fact]
    public void EqualFactorsTakeTurns() => Assert.Equal("abcdabcdabcd", Schedule(Members(1, 1, 1, 1), 12));

    [Fact]
    public void DisabledMemberIsSkippedAndTheOthersKeepTheirTurns()
    {
        List<BalancerMember> m = Members(25, 25, 25, 25);
        m[1].Status = MemberStatus.InError;
        Assert.Equal("acdacdacd", Schedule(m, 9));
    }

    [Fact]
    public void SharesFollowTheLoadFactors()
    {
        string s = Schedule(Members(1, 1, 1, 2), 500);
        Assert.Equal(100, s.Count(c => c == 'a'));
        Assert.Equal(100, s.Count(c => c == 'b'));
        Assert.Equal(100, s.Count(c => c == 'c'));
        Assert.Equal(200, s.Count(c => c == 'd'));
        Assert.Equal("dabcd", s[..5]); // the highest factor starts; ties go to the first listed
    }

    [Fact]
    public void LbStatusSumStaysZero()
    {
        List<BalancerMember> m = Members(3, 1, 7);
        Schedule(m, 37);
        Assert.Equal(0, m.Sum(x => x.LbStatus));
    }

    [Fact]
    public void HotStandbyOnlyWhenNoOtherIsUsable()
    {
        List<BalancerMember> m = Members(1, 1, 1);
        m[2].Status = MemberStatus.HotStandby;
        Assert.Equal("abab", Schedule(m, 4));
        m[0].Status = MemberStatus.InError;
        m[1].Status = MemberStatus.Disabled;
        Assert.Equal("ccc", Schedule(m, 3));
        m[2].Status |= MemberStatus.Stopped;
        Assert.Equal("--", Schedule(m, 2));
    }

    [Fact]
    public void LowerLbSetIsUsedFirst()
    {
        List<BalancerMember> m = Members(1, 1, 1);
        m[0].LbSet = 1;
        Assert.Equal("bcbc", Schedule(m, 4));
        m[1].Status = m[2].Status = MemberStatus.InError;
        Assert.Equal("aa", Schedule(m, 2));
    }

    [Fact]
    public void DrainingMemberGetsNoNewRequests()
    {
        List<BalancerMember> m = Members(1, 1);
        m[0].Status = MemberStatus.Drain;
        Assert.Equal("bbb", Schedule(m, 3));
    }

    [Fact]
    public void RetryCallbackCanBringAMemberBack()
    {
        List<BalancerMember> m = Members(1, 1);
        m[1].Status = MemberStatus.InError;
        var offered = new List<string>();
        BalancerMember? chosen = LbMethods.ByRequests(m, x => { offered.Add(x.Worker.Name); x.Status = MemberStatus.None; }, out _);
        Assert.Equal(["http://mb"], offered);
        Assert.NotNull(chosen);
        Assert.Equal(0, m.Sum(x => x.LbStatus));
    }

    [Fact]
    public void ByBusynessPrefersTheLeastBusy()
    {
        List<BalancerMember> m = Members(1, 1, 1);
        m[0].Busy = 2;
        m[1].Busy = 0;
        m[2].Busy = 1;
        Assert.Equal("b", Schedule(m, 1, busyness: true));
        m[1].Busy = 5;
        Assert.Equal("c", Schedule(m, 1, busyness: true));
        m[0].Busy = m[1].Busy = m[2].Busy = 0;
        m[0].LbStatus = m[1].LbStatus = m[2].LbStatus = 0;
        Assert.Equal("abc", Schedule(m, 3, busyness: true)); // equal busyness falls back to byrequests' turns
    }
}
