using Pluma.Modules.Proxy;

namespace Pluma.Modules.ProxyBalancer;

/// <summary>
/// One BalancerMember: its worker (URL, timeouts, connection pool) and the state the lbmethods
/// read and change (proxy_worker_shared's lbfactor, lbstatus, busy, elected, status,
/// error_time). Apache keeps that state in shared memory for all children; Pluma keeps it per
/// child, under the balancer's lock.
/// </summary>
public sealed class BalancerMember
{
    public BalancerMember(ProxyWorker worker)
    {
        Worker = worker;
    }

    public ProxyWorker Worker { get; }

    /// <summary>route=: the session route sticky sessions name.</summary>
    public string Route { get; set; } = string.Empty;

    /// <summary>redirect=: the route to send this member's sessions to while it is unusable.</summary>
    public string Redirect { get; set; } = string.Empty;

    /// <summary>loadfactor= (1..100, two decimals, default 1) times 100, as Apache keeps it: the member's share of the requests.</summary>
    public int LbFactor { get; set; } = 100;

    /// <summary>lbset= (0..99): members of a lower set are used first.</summary>
    public int LbSet { get; set; }

    /// <summary>How urgently the member should work to meet its share (byrequests, bybusyness).</summary>
    public int LbStatus { get; set; }

    public MemberStatus Status { get; set; }

    /// <summary>When it went into error state (<see cref="Environment.TickCount64"/> ms).</summary>
    public long ErrorTime { get; set; }

    /// <summary>Requests being served by it in this child now (bybusyness).</summary>
    public int Busy;

    /// <summary>Times it was chosen.</summary>
    public long Elected { get; set; }

    /// <summary>Times it was taken out of error state to be tried again.</summary>
    public long Retries { get; set; }

    /// <summary>PROXY_WORKER_IS_USABLE: not in error, disabled or stopped.</summary>
    public bool IsUsable => (Status & (MemberStatus.InError | MemberStatus.Disabled | MemberStatus.Stopped)) == 0;

    public bool IsStandby => (Status & MemberStatus.HotStandby) != 0;

    public bool IsDraining => (Status & MemberStatus.Drain) != 0;

    /// <summary>Host and port as Apache's lines name the worker ("127.0.0.1:8080").</summary>
    public string HostPort => Worker.Authority;

    public override string ToString() => Worker.Name;
}
