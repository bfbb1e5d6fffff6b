using System.Collections.Generic;
using System.Globalization;
using Pluma.Config;
using Pluma.Modules.Proxy;

namespace Pluma.Modules.ProxyBalancer;

/// <summary>
/// BalancerMember and ProxySet (mod_proxy.c's add_member and set_proxy_param, with
/// set_balancer_param and the member half of set_worker_param). Apache defines both in
/// mod_proxy; Pluma defines them with mod_proxy_balancer, so that a configuration using them
/// without the module is refused rather than half served.
/// </summary>
internal static class BalancerDirectives
{
    public static DirectiveDefinition[] All() =>
    [
        new("BalancerMember", DirectiveArgs.RawArgs, DirectiveScope.RsrcConf | DirectiveScope.AccessConf, "A balancer name and scheme with list of params", Member),
        new("ProxySet", DirectiveArgs.RawArgs, DirectiveScope.RsrcConf | DirectiveScope.AccessConf, "A balancer or worker name with list of params", Set),
    ];

    // add_member: [balancer://name] url [key=value ...]
    private static string? Member(DirectiveCall call)
    {
        List<string> words = call.RawWords();
        string? name = call.Section == SectionKind.Proxy ? call.SectionPath : null;
        if (call.Section != SectionKind.None && call.Section != SectionKind.Proxy)
        {
            return "BalancerMember cannot occur within <Directory> or <Location> section";
        }

        string? url = null;
        var parameters = new List<(string Key, string Value)>();
        foreach (string w in words)
        {
            int eq = w.IndexOf('=', StringComparison.Ordinal);
            if (name is null && w.StartsWith("balancer://", StringComparison.OrdinalIgnoreCase))
            {
                name = w;
            }
            else if (url is null && eq < 0)
            {
                url = w;
            }
            else if (eq > 0)
            {
                parameters.Add((w[..eq].ToLowerInvariant(), w[(eq + 1)..]));
            }
            else
            {
                return "BalancerMember can not have a balancer name when defined in a location";
            }
        }

        if (name is null)
        {
            return "BalancerMember must define balancer name when outside <Proxy > section";
        }

        if (!name.StartsWith("balancer://", StringComparison.OrdinalIgnoreCase))
        {
            return "BalancerMember must define balancer name when outside <Proxy > section";
        }

        if (url is null)
        {
            return "BalancerMember must define remote proxy server";
        }

        ProxyWorker? worker = ProxyUrl.TryCreateWorker(url.TrimEnd('/'), out string? error);
        if (worker is null)
        {
            return error;
        }

        var member = new BalancerMember(worker);
        foreach (var (key, value) in parameters)
        {
            string? e = SetMemberParameter(member, key, value);
            if (e is not null)
            {
                return e;
            }
        }

        call.GetServerRecord<ProxyBalancerServerConfig>().Define(BalancerName(name)).Members.Add(member);
        return null;
    }

    // The balancer's name without a path or trailing '/' ("balancer://app/" names balancer://app).
    private static string BalancerName(string name)
    {
        int slash = name.IndexOf('/', "balancer://".Length);
        return slash < 0 ? name : name[..slash];
    }

    // set_worker_param: the balancer member's keys here, the rest as any worker's.
    private static string? SetMemberParameter(BalancerMember m, string key, string value)
    {
        switch (key)
        {
            case "loadfactor":
                if (!decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal f) || f < 1 || f > 100)
                {
                    return "LoadFactor must be a number between 1..100";
                }

                m.LbFactor = (int)(f * 100);
                return null;
            case "route":
                if (value.Length >= 64)
                {
                    return "Route length must be < 64 characters";
                }

                m.Route = value;
                return null;
            case "redirect":
                if (value.Length >= 64)
                {
                    return "Redirect length must be < 64 characters";
                }

                m.Redirect = value;
                return null;
            case "lbset":
                int set = DirectiveBinders.CAtoi(value);
                if (set < 0 || set > 99)
                {
                    return "lbset must be between 0 and 99";
                }

                m.LbSet = set;
                return null;
            case "status":
                return SetStatus(m, value);
            default:
                return ProxyDirectives.SetParameter(m.Worker, key, value);
        }
    }

    // ap_proxy_set_wstatus for each character: +X sets, -X clears, X alone sets.
    private static string? SetStatus(BalancerMember m, string value)
    {
        bool on = true;
        foreach (char c in value)
        {
            if (c == '+')
            {
                on = true;
                continue;
            }

            if (c == '-')
            {
                on = false;
                continue;
            }

            MemberStatus flag = char.ToUpperInvariant(c) switch
            {
                'D' => MemberStatus.Disabled,
                'S' => MemberStatus.Stopped,
                'I' => MemberStatus.IgnoreErrors,
                'H' => MemberStatus.HotStandby,
                'E' => MemberStatus.InError,
                'N' => MemberStatus.Drain,
                _ => MemberStatus.None,
            };
            if (flag == MemberStatus.None)
            {
                return char.ToUpperInvariant(c) is 'R' or 'C'
                    ? "PL00382: BalancerMember status " + c + " (hot spare, health check) is not built in Pluma"
                    : "Unknown status parameter option";
            }

            m.Status = on ? m.Status | flag : m.Status & ~flag;
        }

        return null;
    }

    // set_proxy_param: ProxySet [balancer://name] key=value ...
    private static string? Set(DirectiveCall call)
    {
        List<string> words = call.RawWords();
        string? name = call.Section == SectionKind.Proxy ? call.SectionPath : null;
        var parameters = new List<(string Key, string Value)>();
        foreach (string w in words)
        {
            int eq = w.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                parameters.Add((w[..eq].ToLowerInvariant(), w[(eq + 1)..]));
            }
            else if (name is null)
            {
                name = w;
            }
            else
            {
                return "Invalid ProxySet parameter. Parameter must be in the form 'key=value'";
            }
        }

        if (name is null)
        {
            return "ProxySet needs a balancer or worker name";
        }

        if (!name.StartsWith("balancer://", StringComparison.OrdinalIgnoreCase))
        {
            return "PL00383: ProxySet for a worker outside a balancer (" + name + ") is not built in Pluma; give the parameters on its ProxyPass line";
        }

        Balancer b = call.GetServerRecord<ProxyBalancerServerConfig>().Define(BalancerName(name));
        foreach (var (key, value) in parameters)
        {
            string? e = SetBalancerParameter(b, key, value);
            if (e is not null)
            {
                return e;
            }
        }

        return null;
    }

    // set_balancer_param
    private static string? SetBalancerParameter(Balancer b, string key, string value)
    {
        switch (key)
        {
            case "lbmethod":
                string method = value.ToLowerInvariant();
                if (method is not ("byrequests" or "bybusyness"))
                {
                    return method is "bytraffic" or "heartbeat"
                        ? "PL00384: lbmethod " + value + " is not built in Pluma (byrequests and bybusyness are)"
                        : "unknown lbmethod";
                }

                b.LbMethod = method;
                return null;
            case "stickysession":
                if (value.Length >= 64)
                {
                    return "stickysession length must be < 64 characters";
                }

                int bar = value.IndexOf('|', StringComparison.Ordinal);
                b.StickySession = bar < 0 ? value : value[..bar];
                b.StickySessionPath = bar < 0 ? value : value[(bar + 1)..];
                return null;
            case "stickysessionsep":
                if (value.Equals("off", StringComparison.OrdinalIgnoreCase))
                {
                    b.StickySessionSeparator = '\0';
                    return null;
                }

                if (value.Length != 1)
                {
                    return "stickysessionsep must be a single character or Off";
                }

                b.StickySessionSeparator = value[0];
                return null;
            case "scolonpathdelim":
                return Flag(value, "scolonpathdelim must be On|Off", v => b.ScolonSeparator = v);
            case "nofailover":
                return Flag(value, "failover must be On|Off", v => b.NoFailover = v);
            case "forcerecovery":
                return Flag(value, "forcerecovery must be On|Off", v => b.ForceRecovery = v);
            case "failontimeout":
                return Flag(value, "failontimeout must be On|Off", v => b.FailOnTimeout = v);
            case "maxattempts":
                int max = DirectiveBinders.CAtoi(value);
                if (max < 0)
                {
                    return "maximum number of attempts must be a positive number";
                }

                b.MaxAttempts = max;
                return null;
            case "timeout":
                int seconds = DirectiveBinders.CAtoi(value);
                if (seconds < 1)
                {
                    return "timeout must be at least one second";
                }

                b.Timeout = TimeSpan.FromSeconds(seconds);
                return null;
            case "failonstatus":
                foreach (string part in value.Split([',', ' ', '|'], StringSplitOptions.RemoveEmptyEntries))
                {
                    int status = DirectiveBinders.CAtoi(part);
                    if (status < 100 || status > 599)
                    {
                        return "failonstatus must be one or more HTTP response codes";
                    }

                    b.FailOnStatus.Add(status);
                }

                return null;
            case "growth":
                // Room for balancer-manager additions, which Pluma does not build: nothing to reserve.
                return DirectiveBinders.CAtoi(value) is >= 0 and <= 1000 ? null : "growth must be between 1 and 100";
            case "nonce":
            case "vhost":
                return "PL00385: ProxySet " + key + " (balancer-manager) is not built in Pluma";
            default:
                return "unknown Balancer parameter";
        }
    }

    private static string? Flag(string value, string error, Action<bool> set)
    {
        if (value.Equals("on", StringComparison.OrdinalIgnoreCase))
        {
            set(true);
            return null;
        }

        if (value.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            set(false);
            return null;
        }

        return error;
    }
}
