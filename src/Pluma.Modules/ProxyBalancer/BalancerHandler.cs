using System.Globalization;
using System.Threading;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Hosting;
using Pluma.Modules.Proxy;

namespace Pluma.Modules.ProxyBalancer;

/// <summary>
/// proxy_handler's loop for a balancer:// URL with mod_proxy_balancer's pre_request and
/// post_request: choose a member (sticky route, else the lbmethod), rewrite the URL to it, run
/// the scheme handler (proxy_http ...), and on a 503 from it (the member could not be reached,
/// before any of the request body was sent) put the member in error state and try another, at
/// most maxattempts times.
/// </summary>
internal static class BalancerHandler
{
    private const string Prefix = "proxy:balancer://";

    public static int Handle(RequestRecord r)
    {
        if (r.Handler == "balancer-manager")
        {
            // Fail closed: the manager changes members at run time; a page that ignored its forms would mislead.
            r.Server.ErrorLog.Write(LogLevel.Error, "proxy_balancer", "PL00380: the balancer-manager handler is not built in Pluma; the request is refused", LogClient.Of(r));
            return 500;
        }

        if (r.Handler != ProxyModule.HandlerName || r.Filename is not { } file || !file.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return HookResult.Declined;
        }

        string url = file[6..];
        int slash = url.IndexOf('/', "balancer://".Length);
        string name = slash < 0 ? url : url[..slash];
        string path = slash < 0 ? string.Empty : url[slash..];
        Balancer? balancer = ProxyBalancerModule.ServerConfig(r).Find(name);
        if (balancer is null)
        {
            return HookResult.Declined; // mod_proxy's handler answers (AH01144)
        }

        string module = balancer.LbMethod == "bybusyness" ? ProxyBalancerModule.ByBusynessName : ProxyBalancerModule.ByRequestsName;
        if (r.Runtime.Find(module) is null)
        {
            // Apache refuses to start ("Can't find 'byrequests' lb method"); Pluma checks here.
            r.Server.ErrorLog.Write(LogLevel.Error, "proxy_balancer", "PL00386: " + balancer.Name + ": lbmethod " + balancer.LbMethod + " needs LoadModule " + module, LogClient.Of(r));
            return 500;
        }

        int attempts = 0;
        while (true)
        {
            BalancerMember? member = MemberSelection.Choose(r, balancer, out string? route, out string? sticky);
            if (member is null)
            {
                return 503;
            }

            r.Environment["BALANCER_NAME"] = balancer.Name;
            r.Environment["BALANCER_WORKER_NAME"] = member.Worker.Name;
            r.Environment["BALANCER_WORKER_ROUTE"] = member.Route;
            if (route is not null && sticky is not null)
            {
                r.Notes["session-sticky"] = sticky;
                r.Notes["session-route"] = route;
                r.Environment["BALANCER_SESSION_STICKY"] = sticky;
                r.Environment["BALANCER_SESSION_ROUTE"] = route;
            }

            string rewritten = member.Worker.Name + path;
            ProxyBalancerModule.Debug(r, "AH01172: " + balancer.Name + ": worker (" + member.Worker.Name + ") rewritten to " + rewritten);
            r.Filename = "proxy:" + rewritten;
            Interlocked.Increment(ref member.Busy);
            int rc;
            try
            {
                rc = RunScheme(r);
            }
            finally
            {
                Interlocked.Decrement(ref member.Busy);
            }

            PostRequest(r, balancer, member, rc);
            bool recoverable = rc == 503 && !r.Response.HasStarted && ProxyModule.DirConfig(r).ErrorOverride != true;
            if (rc == 500 || recoverable)
            {
                MarkInError(r, balancer, member);
            }

            if (!recoverable || member.IsUsable || attempts++ >= balancer.AttemptsAfterFirst)
            {
                return rc;
            }

            r.Filename = file; // the next attempt starts from the balancer's URL again
        }
    }

    // proxy_run_scheme_handler: the other proxy modules' handlers on the rewritten URL.
    private static int RunScheme(RequestRecord r)
    {
        foreach (HttpModule m in r.Runtime.Modules)
        {
            if (m.Handler is null || m.Name is ProxyBalancerModule.Name or ProxyModule.Name || !m.Name.StartsWith("proxy_", StringComparison.Ordinal))
            {
                continue;
            }

            int rc = m.Handler(r);
            if (rc != HookResult.Declined)
            {
                return rc;
            }
        }

        return HookResult.Declined;
    }

    // ap_proxy_connect_backend's and proxy_handler's error marking: the member is skipped for retry= seconds.
    private static void MarkInError(RequestRecord r, Balancer b, BalancerMember m)
    {
        lock (b.Lock)
        {
            if ((m.Status & (MemberStatus.IgnoreErrors | MemberStatus.InError)) != 0)
            {
                return;
            }

            m.Status |= MemberStatus.InError;
            m.ErrorTime = Environment.TickCount64;
        }

        r.Server.ErrorLog.Write(LogLevel.Error, "proxy",
            "AH00959: ap_proxy_connect_backend disabling worker for (" + m.HostPort + ") for " + m.Worker.RetrySeconds.ToString(CultureInfo.InvariantCulture) + "s");
    }

    // proxy_balancer_post_request: failonstatus.
    private static void PostRequest(RequestRecord r, Balancer b, BalancerMember m, int rc)
    {
        int status = rc > 0 ? rc : r.Response.StatusCode;
        if (b.FailOnStatus.Count == 0 || (m.Status & MemberStatus.IgnoreErrors) != 0 || !b.FailOnStatus.Contains(status))
        {
            return;
        }

        r.Server.ErrorLog.Write(LogLevel.Error, "proxy_balancer",
            "AH01174: " + b.Name + ": Forcing worker (" + m.Worker.Name + ") into error state due to status code " + status.ToString(CultureInfo.InvariantCulture) + " matching 'failonstatus' balancer parameter",
            LogClient.Of(r));
        lock (b.Lock)
        {
            m.Status |= MemberStatus.InError;
            m.ErrorTime = Environment.TickCount64;
        }
    }
}
