using System.Globalization;
using System.Text.RegularExpressions;
using Pluma.Config;

namespace Pluma.Modules.Proxy;

/// <summary>mod_proxy's directive table (proxy_cmds) and the parsing of ProxyPass and its worker parameters.</summary>
internal static class ProxyDirectives
{
    public static DirectiveDefinition[] All() =>
    [
        new("<Proxy", DirectiveArgs.RawArgs, DirectiveScope.RsrcConf, "Container for directives affecting resources located in the proxied location", call => Section(call, regex: false)),
        new("<ProxyMatch", DirectiveArgs.RawArgs, DirectiveScope.RsrcConf, "Container for directives affecting resources located in the proxied location, in regular expression syntax", call => Section(call, regex: true)),
        new("ProxyRequests", DirectiveArgs.Flag, DirectiveScope.RsrcConf, "on if the true proxy requests should be accepted", Requests),
        new("ProxyPass", DirectiveArgs.RawArgs, DirectiveScope.RsrcConf | DirectiveScope.AccessConf, "a virtual path and a URL", call => Pass(call, regex: false)),
        new("ProxyPassMatch", DirectiveArgs.RawArgs, DirectiveScope.RsrcConf | DirectiveScope.AccessConf, "a virtual path and a URL", call => Pass(call, regex: true)),
        new("ProxyPassReverse", DirectiveArgs.Take123, DirectiveScope.RsrcConf | DirectiveScope.AccessConf, "a virtual path and a URL for reverse proxy behaviour", Reverse),
        new("ProxyPreserveHost", DirectiveArgs.Flag, DirectiveScope.RsrcConf | DirectiveScope.AccessConf, "on if we should preserve host header while proxying",
            DirectiveBinders.Flag<ProxyDirConfig>(DirectiveTarget.Directory, (c, v) => c.PreserveHost = v)),
        new("ProxyErrorOverride", DirectiveArgs.Flag, DirectiveScope.RsrcConf | DirectiveScope.AccessConf, "use our error handling pages instead of the servers' we are proxying",
            DirectiveBinders.Flag<ProxyDirConfig>(DirectiveTarget.Directory, (c, v) => c.ErrorOverride = v)),
        new("ProxyAddHeaders", DirectiveArgs.Flag, DirectiveScope.RsrcConf | DirectiveScope.AccessConf, "on if X-Forwarded-* headers should be added or completed",
            DirectiveBinders.Flag<ProxyDirConfig>(DirectiveTarget.Directory, (c, v) => c.AddHeaders = v)),
        new("ProxyTimeout", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "Set the timeout (in seconds) for a proxied connection. This overrides the server timeout", Timeout),
        new("ProxyVia", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "Configure Via: proxy header header to one of: on | off | block | full", Via),
        DirectiveDefinition.Pending("ProxyRemote", DirectiveArgs.Take2, DirectiveScope.RsrcConf, "a scheme, partial URL or '*' and a proxy server"),
        DirectiveDefinition.Pending("ProxyRemoteMatch", DirectiveArgs.Take2, DirectiveScope.RsrcConf, "a regex pattern and a proxy server"),
        DirectiveDefinition.Pending("ProxyPassInterpolateEnv", DirectiveArgs.Flag, DirectiveScope.RsrcConf | DirectiveScope.AccessConf, "Interpolate Env Vars in reverse Proxy"),
        DirectiveDefinition.Pending("ProxyPassReverseCookieDomain", DirectiveArgs.Take23, DirectiveScope.RsrcConf | DirectiveScope.AccessConf, "a domain and a URL for reverse proxy behaviour"),
        DirectiveDefinition.Pending("ProxyPassReverseCookiePath", DirectiveArgs.Take23, DirectiveScope.RsrcConf | DirectiveScope.AccessConf, "a path and a URL for reverse proxy behaviour"),
        DirectiveDefinition.Pending("ProxyBlock", DirectiveArgs.Iterate, DirectiveScope.RsrcConf, "A list of names, hosts or domains to which the proxy will not connect"),
        DirectiveDefinition.Pending("ProxyReceiveBufferSize", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "Receive buffer size for outgoing HTTP and FTP connections in bytes"),
        DirectiveDefinition.Pending("ProxyIOBufferSize", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "IO buffer size for outgoing HTTP and FTP connections in bytes"),
        DirectiveDefinition.Pending("ProxyMaxForwards", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "The maximum number of proxies a request may be forwarded through."),
        DirectiveDefinition.Pending("ProxyDomain", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "The default intranet domain name (in absence of a domain in the URL)"),
        DirectiveDefinition.Pending("ProxyBadHeader", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "How to handle bad header line in response: IsError | Ignore | StartBody"),
        DirectiveDefinition.Pending("ProxyStatus", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "Configure Status: proxy status to one of: on | off | full"),
        DirectiveDefinition.Pending("ProxySourceAddress", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "Configure local source IP used for request forward"),
        DirectiveDefinition.Pending("ProxyPassInherit", DirectiveArgs.Flag, DirectiveScope.RsrcConf, "Inherit ProxyPass directives defined from main server"),
        // BalancerMember and ProxySet are mod_proxy_balancer's in Pluma (ProxyBalancer/BalancerDirectives).
        DirectiveDefinition.Pending("BalancerGrowth", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "Number of additional Balancers that can be added post-config"),
        DirectiveDefinition.Pending("BalancerPersist", DirectiveArgs.Flag, DirectiveScope.RsrcConf, "on if the balancer should persist changes on reboot/restart made via the Balancer Manager"),
        DirectiveDefinition.Pending("BalancerInherit", DirectiveArgs.Flag, DirectiveScope.RsrcConf, "on if this server should inherit Balancers and Workers defined in the main server"),
    ];

    private static string? Requests(DirectiveCall call)
    {
        if (call.FlagValue)
        {
            // Fail closed: a forward proxy that silently refused would look like a working one.
            return "PL00360: ProxyRequests On (forward proxying) is not built in Pluma";
        }

        call.GetServerRecord<ProxyServerConfig>().Requests = false;
        return null;
    }

    private static string? Timeout(DirectiveCall call)
    {
        int seconds = DirectiveBinders.CAtoi(call.Args[0]);
        if (seconds < 1)
        {
            return "Proxy Timeout must be at least 1 second.";
        }

        call.GetServerRecord<ProxyServerConfig>().Timeout = TimeSpan.FromSeconds(seconds);
        return null;
    }

    private static string? Via(DirectiveCall call)
    {
        string v = call.Args[0].ToLowerInvariant();
        if (v is not ("on" or "off" or "full" or "block"))
        {
            return "ProxyVia must be one of: off | on | full | block";
        }

        call.GetServerRecord<ProxyServerConfig>().Via = v;
        return null;
    }

    private static string? Section(DirectiveCall call, bool regex)
    {
        string name = call.Directive.Name;
        string args = call.RawArgs.TrimEnd();
        if (!args.EndsWith('>'))
        {
            return name + "> directive missing closing '>'";
        }

        var words = call.RawWords();
        if (words.Count > 0 && words[^1].EndsWith('>'))
        {
            words[^1] = words[^1][..^1];
            if (words[^1].Length == 0)
            {
                words.RemoveAt(words.Count - 1);
            }
        }

        if (words.Count == 0)
        {
            return "<Proxy > block must specify a path";
        }

        if (call.Section != SectionKind.None)
        {
            return name + "> cannot occur within directory context";
        }

        string pattern = words[0];
        if (!regex && pattern == "~" && words.Count > 1)
        {
            regex = true;
            pattern = words[1];
        }

        Regex? compiled = null;
        if (regex)
        {
            try
            {
                compiled = ApacheRegex.Create(pattern);
            }
            catch (ArgumentException)
            {
                return "Regex could not be compiled";
            }
        }

        ModuleConfigVector config = call.ProcessChildrenInSection(SectionKind.Proxy, pattern);
        call.GetServerRecord<ProxyServerConfig>().Sections.Add(new ProxySection(pattern, compiled, config));
        return null;
    }

    // add_pass: [path] url|! [key=value ...] [nocanon] [noquery] [interpolate]
    private static string? Pass(DirectiveCall call, bool regex)
    {
        var words = call.RawWords();
        string name = call.Directive.Name;
        bool inLocation = call.Section is SectionKind.Location or SectionKind.LocationMatch;
        if (call.Section != SectionKind.None && !inLocation)
        {
            return name + " cannot occur within <Directory> section";
        }

        string? path = null;
        string? url = null;
        bool noCanon = false, noQuery = false;
        var parameters = new System.Collections.Generic.List<(string Key, string Value)>();
        foreach (string w in words)
        {
            if (w == "nocanon")
            {
                noCanon = true;
            }
            else if (w == "noquery")
            {
                noQuery = true;
            }
            else if (w == "interpolate")
            {
                return "PL00361: " + name + " interpolate is not built in Pluma";
            }
            else if (w.Contains('=', StringComparison.Ordinal) && url is not null)
            {
                int eq = w.IndexOf('=', StringComparison.Ordinal);
                parameters.Add((w[..eq].ToLowerInvariant(), w[(eq + 1)..]));
            }
            else if (path is null && !inLocation)
            {
                path = w;
            }
            else if (url is null)
            {
                url = w;
            }
            else
            {
                return "Invalid ProxyPass parameter. Parameter must be in the form 'key=value'.";
            }
        }

        if (inLocation)
        {
            if (path is not null)
            {
                return name + " can not have a path when defined in a location.";
            }

            path = call.SectionPath;
            regex |= call.Section == SectionKind.LocationMatch;
        }

        if (path is null || url is null)
        {
            return name + " needs a path when not defined in a location";
        }

        Regex? compiled = null;
        if (regex)
        {
            try
            {
                compiled = ApacheRegex.Create(path);
            }
            catch (ArgumentException)
            {
                return "Regular expression could not be compiled.";
            }
        }

        ProxyServerConfig conf = call.GetServerRecord<ProxyServerConfig>();
        if (url == "!")
        {
            conf.Passes.Add(new ProxyPassEntry(path, null, compiled, null));
            return null;
        }

        if (url.StartsWith("balancer:", StringComparison.OrdinalIgnoreCase))
        {
            // mod_proxy_balancer serves it; its parameters belong in ProxySet.
            if (parameters.Count > 0)
            {
                return "PL00381: " + name + " parameters for a balancer:// URL are not built in Pluma; set them with ProxySet in <Proxy \"balancer://...\">";
            }

            conf.Passes.Add(new ProxyPassEntry(path, url, compiled, null) { NoCanon = noCanon, NoQuery = noQuery });
            return null;
        }

        // A ProxyPassMatch worker is named by its URL up to the first '$' (ap_proxy_define_match_worker).
        string workerUrl = regex && url.IndexOf('$', StringComparison.Ordinal) is int d and >= 0 ? url[..d] : url;
        ProxyWorker? worker = ProxyUrl.TryCreateWorker(workerUrl, out string? error);
        if (worker is null)
        {
            return error;
        }

        foreach (var (key, value) in parameters)
        {
            string? e = SetParameter(worker, key, value);
            if (e is not null)
            {
                return e;
            }
        }

        conf.Workers.Add(worker);
        conf.Passes.Add(new ProxyPassEntry(path, url, compiled, worker) { NoCanon = noCanon, NoQuery = noQuery });
        return null;
    }

    // set_worker_param: the keys Pluma honours; any other known one is refused rather than ignored.
    internal static string? SetParameter(ProxyWorker worker, string key, string value)
    {
        switch (key)
        {
            case "timeout":
                if (!DirectiveBinders.TryParseTimeout(value, out TimeSpan t) || t < TimeSpan.FromMilliseconds(1))
                {
                    return "Timeout must be at least one millisecond";
                }

                worker.Timeout = t;
                return null;
            case "connectiontimeout":
                if (!DirectiveBinders.TryParseTimeout(value, out TimeSpan ct) || ct < TimeSpan.FromMilliseconds(1))
                {
                    return "Connectiontimeout must be at least one millisecond.";
                }

                worker.ConnectTimeout = ct;
                return null;
            case "retry":
                int retry = DirectiveBinders.CAtoi(value);
                if (retry < 0)
                {
                    return "Retry must be a positive value";
                }

                worker.RetrySeconds = retry;
                return null;
            case "ttl":
                int ttl = DirectiveBinders.CAtoi(value);
                if (ttl < 1)
                {
                    return "TTL must be at least one second";
                }

                worker.TtlSeconds = ttl;
                return null;
            case "max":
                int max = DirectiveBinders.CAtoi(value);
                if (max < 0)
                {
                    return "Max must be a positive value";
                }

                worker.MaxIdle = max;
                return null;
            case "disablereuse":
            case "enablereuse":
                bool on = value.Equals("on", StringComparison.OrdinalIgnoreCase);
                if (!on && !value.Equals("off", StringComparison.OrdinalIgnoreCase))
                {
                    return key == "disablereuse" ? "DisableReuse must be On|Off" : "EnableReuse must be On|Off";
                }

                worker.DisableReuse = key == "disablereuse" ? on : !on;
                worker.DisableReuseSet = true;
                return null;
            case "keepalive":
                // SO_KEEPALIVE on the backend socket; Pluma's pooled sockets rely on the reuse check instead.
                return value.Equals("on", StringComparison.OrdinalIgnoreCase) || value.Equals("off", StringComparison.OrdinalIgnoreCase)
                    ? null : "KeepAlive must be On|Off";
            case "min":
            case "smax":
            case "acquire":
            case "flushpackets":
            case "flushwait":
            case "iobuffersize":
            case "receivebuffersize":
            case "ping":
            case "lbset":
            case "loadfactor":
            case "redirect":
            case "route":
            case "status":
            case "hcmethod":
            case "hcexpr":
            case "hcuri":
            case "hcinterval":
            case "hcpasses":
            case "hcfails":
            case "hctemplate":
            case "secret":
            case "upgrade":
            case "mapping":
            case "responsefieldsize":
                return "PL00363: ProxyPass parameter " + key + " is not built in Pluma";
            default:
                return "unknown Worker parameter";
        }
    }

    private static string? Reverse(DirectiveCall call)
    {
        bool inLocation = call.Section is SectionKind.Location or SectionKind.LocationMatch;
        string? path, url;
        int first = 0;
        if (inLocation)
        {
            path = call.SectionPath;
            url = call.Args[0];
            first = 1;
        }
        else
        {
            if (call.Args.Count < 2)
            {
                return "ProxyPassReverse needs a path when not defined in a location";
            }

            path = call.Args[0];
            url = call.Args[1];
            first = 2;
        }

        if (call.Args.Count > first)
        {
            return call.Args[first] == "interpolate"
                ? "PL00361: ProxyPassReverse interpolate is not built in Pluma"
                : "ProxyPassReverse can not have a path when defined in a location";
        }

        if (path is null)
        {
            return "ProxyPassReverse needs a path when not defined in a location";
        }

        call.GetDirRecord<ProxyDirConfig>().Reverses.Add(new ProxyReverseEntry(path, url));
        return null;
    }

    public static string Seconds(TimeSpan t) => ((long)t.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
