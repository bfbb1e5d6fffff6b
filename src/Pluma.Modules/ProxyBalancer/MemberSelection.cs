using System.Globalization;
using System.Threading;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.ProxyBalancer;

/// <summary>
/// proxy_balancer_pre_request's choice of a member: force_recovery when every member is in
/// error, the sticky session's route (URL parameter, then cookie), else the lbmethod; with
/// Apache's log lines when none is usable (AH01167, AH01170, AH01171).
/// </summary>
internal static class MemberSelection
{
    public static BalancerMember? Choose(RequestRecord r, Balancer b, out string? route, out string? sticky)
    {
        route = null;
        sticky = null;
        BalancerMember? chosen = null;
        lock (b.Lock)
        {
            ForceRecovery(r, b);
            if (b.StickySession is not null)
            {
                (route, sticky) = SessionRoute(r, b);
                if (route is not null)
                {
                    chosen = FindRouteMember(r, b, route, 1);
                    if (chosen is not null)
                    {
                        if (chosen.Route != route)
                        {
                            r.Environment["BALANCER_ROUTE_CHANGED"] = "1";
                        }

                        // The default updatelbstatus: routed requests count toward the shares too.
                        int total = 0;
                        foreach (BalancerMember m in b.Members)
                        {
                            if (m.IsUsable)
                            {
                                m.LbStatus += m.LbFactor;
                                total += m.LbFactor;
                            }
                        }

                        chosen.LbStatus -= total;
                        chosen.Elected++;
                    }
                    else if (b.NoFailover && b.FindRoute(route) is not null)
                    {
                        r.Server.ErrorLog.Write(LogLevel.Error, "proxy_balancer", "AH01167: " + b.Name + ": All workers are in error state for route (" + route + ")", LogClient.Of(r));
                        return null;
                    }
                }
            }

            if (chosen is null)
            {
                chosen = FindBest(r, b);
                if (chosen is not null && b.StickySession is not null)
                {
                    r.Environment["BALANCER_ROUTE_CHANGED"] = "1";
                }
            }
        }

        if (chosen is null && b.Timeout > TimeSpan.Zero)
        {
            // find_best_worker with a balancer timeout: look again a hundred times within it.
            long deadline = Environment.TickCount64 + (long)b.Timeout.TotalMilliseconds;
            int step = Math.Max(1, (int)(b.Timeout.TotalMilliseconds / 100));
            while (chosen is null && Environment.TickCount64 < deadline)
            {
                Thread.Sleep(step);
                lock (b.Lock)
                {
                    chosen = FindBest(r, b);
                }
            }
        }

        if (chosen is null)
        {
            r.Server.ErrorLog.Write(LogLevel.Error, "proxy_balancer",
                b.Members.Count > 0 ? "AH01170: " + b.Name + ": All workers are in error state" : "AH01171: " + b.Name + ": No workers in balancer", LogClient.Of(r));
        }

        return chosen;
    }

    private static BalancerMember? FindBest(RequestRecord r, Balancer b)
    {
        Debug(r, "AH10122: proxy: Entering " + b.LbMethod + " for BALANCER (" + b.Name + ")");
        Action<BalancerMember> retry = m => Retry(r, m);
        BalancerMember? m = b.LbMethod == "bybusyness" ? LbMethods.ByBusyness(b.Members, retry, out int status) : LbMethods.ByRequests(b.Members, retry, out status);
        if (m is not null)
        {
            m.Elected++;
            Debug(r, "AH10123: proxy: " + b.LbMethod + " selected worker \"" + m.Worker.Name + "\" : busy " + m.Busy.ToString(CultureInfo.InvariantCulture) + " : lbstatus " + status.ToString(CultureInfo.InvariantCulture));
        }

        return m;
    }

    // force_recovery: with every member in error state and forcerecovery on, all are tried again.
    private static void ForceRecovery(RequestRecord r, Balancer b)
    {
        foreach (BalancerMember m in b.Members)
        {
            if ((m.Status & MemberStatus.InError) == 0)
            {
                return;
            }

            Retry(r, m);
            if ((m.Status & MemberStatus.InError) == 0)
            {
                return;
            }
        }

        if (!b.ForceRecovery)
        {
            return;
        }

        foreach (BalancerMember m in b.Members)
        {
            m.Retries++;
            m.Status &= ~MemberStatus.InError;
            if (r.Server.ErrorLog.IsEnabled(LogLevel.Debug, "proxy_balancer"))
            {
                r.Server.ErrorLog.Write(LogLevel.Debug, "proxy_balancer", "AH01165: " + b.Name + ": Forcing recovery for worker (" + m.Worker.Host + ")");
            }
        }
    }

    /// <summary>ap_proxy_retry_worker: a member in error state comes back once its retry= seconds have passed.</summary>
    internal static void Retry(RequestRecord r, BalancerMember m)
    {
        if ((m.Status & MemberStatus.InError) == 0)
        {
            return;
        }

        if ((m.Status & MemberStatus.Stopped) != 0)
        {
            Debug(r, "AH03305: BALANCER: Won't retry worker (" + m.HostPort + "): stopped");
            return;
        }

        if (Environment.TickCount64 - m.ErrorTime >= m.Worker.RetrySeconds * 1000L)
        {
            m.Retries++;
            m.Status &= ~MemberStatus.InError;
            Debug(r, "AH00932: BALANCER: worker for (" + m.HostPort + ") has been marked for retry");
        }
        else
        {
            Debug(r, "AH00933: BALANCER: too soon to retry worker for (" + m.HostPort + ")");
        }
    }

    // find_route_worker: the member with the route (non-standby first), retried if in error, else its redirect=.
    private static BalancerMember? FindRouteMember(RequestRecord r, Balancer b, string route, int recursion)
    {
        foreach (bool standby in (ReadOnlySpan<bool>)[false, true])
        {
            foreach (BalancerMember m in b.Members)
            {
                if (m.IsStandby != standby || m.Route.Length == 0 || m.Route != route)
                {
                    continue;
                }

                if (!m.IsUsable)
                {
                    Retry(r, m);
                }

                if (m.IsUsable)
                {
                    return m;
                }

                if (m.Redirect.Length > 0 && recursion < b.Members.Count && FindRouteMember(r, b, m.Redirect, recursion + 1) is { } other)
                {
                    if (!other.IsUsable)
                    {
                        Retry(r, other);
                    }

                    if (other.IsUsable)
                    {
                        return other;
                    }
                }
            }
        }

        return null;
    }

    // find_session_route: the URL's path parameter first, then the cookie; the route follows the separator.
    private static (string? Route, string? Sticky) SessionRoute(RequestRecord r, Balancer b)
    {
        string? value = PathParameter(r.Request.RawTarget, b.StickySessionPath!, b.ScolonSeparator);
        string? sticky = value is null ? null : b.StickySessionPath;
        if (value is null)
        {
            value = CookieParameter(r.Request.Headers["Cookie"], b.StickySession!);
            sticky = value is null ? null : b.StickySession;
        }

        if (value is null)
        {
            return (null, null);
        }

        if (b.StickySessionSeparator != '\0')
        {
            int sep = value.IndexOf(b.StickySessionSeparator, StringComparison.Ordinal);
            if (sep < 0)
            {
                return (null, null);
            }

            value = value[(sep + 1)..];
        }

        if (value.Length == 0)
        {
            return (null, null);
        }

        Debug(r, "AH01161: Found route " + value);
        return (value, sticky);
    }

    private static string? PathParameter(string url, string name, bool semicolon)
    {
        for (int at = url.IndexOf(name, StringComparison.Ordinal); at >= 0; at = url.IndexOf(name, at + 1, StringComparison.Ordinal))
        {
            int v = at + name.Length;
            if (v < url.Length && url[v] == '=' && v + 1 < url.Length)
            {
                string rest = url[(v + 1)..];
                int end = rest.IndexOfAny(semicolon ? [';', '?', '&'] : ['?', '&']);
                string value = end < 0 ? rest : rest[..end];
                return value.Length == 0 ? null : value;
            }
        }

        return null;
    }

    private static string? CookieParameter(string? cookies, string name)
    {
        if (cookies is null)
        {
            return null;
        }

        for (int at = cookies.IndexOf(name, StringComparison.Ordinal); at >= 0; at = cookies.IndexOf(name, at + 1, StringComparison.Ordinal))
        {
            if (at > 0 && cookies[at - 1] is not (';' or ',' or ' ' or '\t'))
            {
                continue;
            }

            int i = at + name.Length;
            while (i < cookies.Length && cookies[i] is ' ' or '\t')
            {
                i++;
            }

            if (i < cookies.Length && cookies[i] == '=' && i + 1 < cookies.Length)
            {
                string value = cookies[(i + 1)..];
                int end = value.IndexOfAny([';', ',']);
                return end < 0 ? value : value[..end];
            }
        }

        return null;
    }

    private static void Debug(RequestRecord r, string message)
    {
        if (r.Server.ErrorLog.IsEnabled(LogLevel.Debug, "proxy"))
        {
            r.Server.ErrorLog.Write(LogLevel.Debug, "proxy", message);
        }
    }
}
