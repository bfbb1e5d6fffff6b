using System.Collections.Generic;

namespace Pluma.Modules.ProxyBalancer;

/// <summary>One balancer://name (proxy_balancer): its members and the ProxySet parameters.</summary>
public sealed class Balancer
{
    public Balancer(string name)
    {
        Name = name;
    }

    /// <summary>"balancer://name", lower case as Apache keeps it.</summary>
    public string Name { get; }

    public List<BalancerMember> Members { get; } = [];

    /// <summary>lbmethod=: byrequests (default) or bybusyness.</summary>
    public string LbMethod { get; set; } = "byrequests";

    /// <summary>stickysession=: the cookie name, or null.</summary>
    public string? StickySession { get; set; }

    /// <summary>The URL parameter name of stickysession=COOKIE|param (the cookie name when none).</summary>
    public string? StickySessionPath { get; set; }

    /// <summary>stickysessionsep= (default '.'): what separates the route in the session value; '\0' for none.</summary>
    public char StickySessionSeparator { get; set; } = '.';

    /// <summary>scolonsep=On: ';' also ends the URL's session parameter.</summary>
    public bool ScolonSeparator { get; set; }

    /// <summary>nofailover=On: a request with a route whose members are down gets 503.</summary>
    public bool NoFailover { get; set; }

    /// <summary>maxattempts=, or null for one less than the number of members.</summary>
    public int? MaxAttempts { get; set; }

    /// <summary>forcerecovery= (default On): when every member is in error, all are tried again.</summary>
    public bool ForceRecovery { get; set; } = true;

    /// <summary>timeout=: how long to wait for a usable member when none is; zero for not at all.</summary>
    public TimeSpan Timeout { get; set; }

    /// <summary>failonstatus=: backend statuses that put the member in error state.</summary>
    public List<int> FailOnStatus { get; } = [];

    /// <summary>failontimeout=On: a backend timeout puts the member in error state.</summary>
    public bool FailOnTimeout { get; set; }

    /// <summary>The attempts after the first (balancer->s->max_attempts).</summary>
    public int AttemptsAfterFirst => MaxAttempts ?? Math.Max(0, Members.Count - 1);

    /// <summary>Guards the members' state among the child's threads (PROXY_THREAD_LOCK).</summary>
    public object Lock { get; } = new();

    public BalancerMember? FindRoute(string route)
    {
        foreach (BalancerMember m in Members)
        {
            if (m.Route.Length > 0 && m.Route == route)
            {
                return m;
            }
        }

        return null;
    }
}
