using System.Globalization;
using Pluma.Config;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Authz;

/// <summary>
/// mod_access_compat: Apache 2.2's Order/Allow/Deny, checked in the access phase before
/// mod_authz_core (403 with AH01797). Host names match only when written as literal addresses
/// (no DNS); under Satisfy Any a grant here is enough and a refusal leaves the decision to the Require rules.
/// </summary>
public static class AccessCompatModule
{
    public const string Name = "access_compat_module";

    [ThreadStatic]
    private static AuthzRequest? t_request;

    public static HttpModule Create()
    {
        var descriptor = new ModuleDescriptor(Name, "mod_access_compat.c", () =>
        [
            new DirectiveDefinition("Order", DirectiveArgs.Take1, DirectiveScope.OrLimit, "'allow,deny', 'deny,allow', or 'mutual-failure'", SetOrder),
            new DirectiveDefinition("Allow", DirectiveArgs.Iterate2, DirectiveScope.OrLimit, "'from' followed by hostnames or IP-address wildcards", call => Add(call, allow: true)),
            new DirectiveDefinition("Deny", DirectiveArgs.Iterate2, DirectiveScope.OrLimit, "'from' followed by hostnames or IP-address wildcards", call => Add(call, allow: false)),
            new DirectiveDefinition("Satisfy", DirectiveArgs.Take1, DirectiveScope.OrAuthCfg, "access policy if both allow and require used ('all' or 'any')", SetSatisfy),
        ])
        {
            CreateDirConfig = _ => new AccessCompatDirConfig(),
            MergeDirConfig = (b, a) => AccessCompatDirConfig.Merge((AccessCompatDirConfig)b, (AccessCompatDirConfig)a),
        };
        return new HttpModule(descriptor)
        {
            CheckAccess = r => Check(r, descriptor),
            SatisfyAny = r => r.DirConfig.Get<AccessCompatDirConfig>(descriptor)?.SatisfyAny == true,
        };
    }

    private static int Check(RequestRecord r, ModuleDescriptor descriptor)
    {
        if (r.DirConfig.Get<AccessCompatDirConfig>(descriptor) is not { HasRules: true } conf)
        {
            return HookResult.Ok;
        }

        AuthzRequest request = t_request ??= new AuthzRequest();
        request.Reset(r);
        if (conf.Permits(request))
        {
            return HookResult.Ok;
        }

        if (conf.SatisfyAny == true)
        {
            // Satisfy Any: the refusal only sends the request on to authentication and the
            // Require rules (AccessPhase); Apache logs AH01797 then only when none apply.
            return 403;
        }

        var client = r.Request.RemoteEndPoint;
        r.Server.ErrorLog.Write(LogLevel.Error, "access_compat",
            "AH01797: client denied by server configuration: " + (r.Filename ?? "uri " + r.Uri),
            (client.Address.IsIPv4MappedToIPv6 ? client.Address.MapToIPv4() : client.Address) + ":" + client.Port.ToString(CultureInfo.InvariantCulture));
        return 403;
    }

    private static string? SetOrder(DirectiveCall call)
    {
        AccessCompatDirConfig d = call.GetDirRecord<AccessCompatDirConfig>();
        string v = call.Args[0];
        if (v.Equals("allow,deny", StringComparison.OrdinalIgnoreCase))
        {
            d.Order = AccessOrder.AllowDeny;
        }
        else if (v.Equals("deny,allow", StringComparison.OrdinalIgnoreCase))
        {
            d.Order = AccessOrder.DenyAllow;
        }
        else if (v.Equals("mutual-failure", StringComparison.OrdinalIgnoreCase))
        {
            d.Order = AccessOrder.MutualFailure;
        }
        else
        {
            return "unknown order";
        }

        return null;
    }

    private static string? SetSatisfy(DirectiveCall call)
    {
        string v = call.Args[0];
        if (v.Equals("all", StringComparison.OrdinalIgnoreCase) || v.Equals("any", StringComparison.OrdinalIgnoreCase))
        {
            call.GetDirRecord<AccessCompatDirConfig>().SatisfyAny = v.Equals("any", StringComparison.OrdinalIgnoreCase);
            return null;
        }

        return "Satisfy either 'any' or 'all'.";
    }

    private static string? Add(DirectiveCall call, bool allow)
    {
        if (!call.Args[0].Equals("from", StringComparison.OrdinalIgnoreCase))
        {
            return "allow and deny must be followed by 'from'";
        }

        string w = call.Args[1];
        string? env = null;
        bool negate = false;
        IpRange? range = null;
        if (w.StartsWith("env=", StringComparison.OrdinalIgnoreCase))
        {
            env = w[4..];
            negate = env.StartsWith('!');
            env = negate ? env[1..] : env;
        }
        else if (!w.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            range = IpRange.TryParse(w);
            if (range is null && (w.Contains('/', StringComparison.Ordinal) || char.IsAsciiDigit(w[0])))
            {
                return "An IP address was expected";
            }
        }

        var rule = new AccessRule(w, range, env, negate, call.LimitedMethods, call.IsLimitExcept);
        AccessCompatDirConfig d = call.GetDirRecord<AccessCompatDirConfig>();
        (allow ? d.Allows : d.Denies).Add(rule);
        return null;
    }
}
