namespace Pluma.Modules.ProxyBalancer;

/// <summary>A balancer member's status flags (PROXY_WORKER_*), as status= and the balancer-manager name them.</summary>
[Flags]
public enum MemberStatus
{
    None = 0,

    /// <summary>D: takes no requests.</summary>
    Disabled = 1,

    /// <summary>S: administratively stopped; never retried.</summary>
    Stopped = 2,

    /// <summary>I: connection errors do not put it in error state.</summary>
    IgnoreErrors = 4,

    /// <summary>H: hot standby, used only when no other member of its lbset is usable.</summary>
    HotStandby = 8,

    /// <summary>E: in error state until retry= seconds have passed.</summary>
    InError = 16,

    /// <summary>N: draining: only requests with its route (sticky sessions) go to it.</summary>
    Drain = 32,
}
