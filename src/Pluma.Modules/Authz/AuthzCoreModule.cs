using System.Collections.Generic;
using System.Globalization;
using Pluma.Config;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.AuthnCore;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Authz;

/// <summary>
/// mod_authz_core: Require (with the providers of authz_core, authz_host and authz_user),
/// &lt;RequireAll&gt;, &lt;RequireAny&gt;, &lt;RequireNone&gt;, AuthMerging. Its access_checker_ex
/// answers before authentication (403 with AH01630, or "a user is needed"), its auth_checker
/// after it (401 with AH01631 and the AuthType's challenge, or 403 with
/// AuthzSendForbiddenOnFailure), as authorize_user_core does.
/// </summary>
public static class AuthzCoreModule
{
    public const string Name = "authz_core_module";

    /// <summary>The providers each module registers (ap_register_auth_provider).</summary>
    private static readonly string[] s_coreProviders = ["all", "env", "method", "expr"];
    private static readonly string[] s_hostProviders = ["ip", "host", "local", "forward-dns"];

    [ThreadStatic]
    private static AuthzRequest? t_request;

    public static HttpModule Create()
    {
        var descriptor = new ModuleDescriptor(Name, "mod_authz_core.c", () =>
        [
            new DirectiveDefinition("Require", DirectiveArgs.TakeArgv, DirectiveScope.OrAuthCfg,
                "specifies authorization directives which one must pass (or not) for a request to suceeed", Require),
            new DirectiveDefinition("<RequireAll", DirectiveArgs.RawArgs, DirectiveScope.OrAuthCfg,
                "Container for grouping authorization directives of which none must fail and at least one must pass for a request to succeed",
                call => Section(call, AuthzLogic.All, negate: false)),
            new DirectiveDefinition("<RequireAny", DirectiveArgs.RawArgs, DirectiveScope.OrAuthCfg,
                "Container for grouping authorization directives of which one must pass for a request to succeed",
                call => Section(call, AuthzLogic.Any, negate: false)),
            new DirectiveDefinition("<RequireNone", DirectiveArgs.RawArgs, DirectiveScope.OrAuthCfg,
                "Container for grouping authorization directives of which none must pass for a request to succeed",
                call => Section(call, AuthzLogic.All, negate: true)),
            DirectiveDefinition.Pending("<AuthzProviderAlias", DirectiveArgs.RawArgs, DirectiveScope.RsrcConf,
                "container for grouping an authorization provider's directives under a provider alias"),
            new DirectiveDefinition("AuthMerging", DirectiveArgs.Take1, DirectiveScope.OrAuthCfg,
                "controls how a <Directory>, <Location>, or similar directive's authorization directives are combined with those of its predecessor",
                SetMerging),
            new DirectiveDefinition("AuthzSendForbiddenOnFailure", DirectiveArgs.Flag, DirectiveScope.AccessConf,
                "Controls if an authorization failure should result in a '403 FORBIDDEN' response instead of the HTTP-conforming '401 UNAUTHORIZED'",
                DirectiveBinders.Flag<AuthzDirConfig>(DirectiveTarget.Directory, (c, v) => c.SendForbiddenOnFailure = v)),
        ])
        {
            CreateDirConfig = _ => new AuthzDirConfig(),
            MergeDirConfig = (b, a) => AuthzDirConfig.Merge((AuthzDirConfig)b, (AuthzDirConfig)a),
        };
        return new HttpModule(descriptor)
        {
            CheckAccessEx = r => AuthorizeUserCore(r, descriptor, afterAuthn: false),
            AuthChecker = r => AuthorizeUserCore(r, descriptor, afterAuthn: true),
        };
    }

    /// <summary>mod_authz_host: registers ip, host, local and forward-dns; its directives are none.</summary>
    public static HttpModule CreateHost() => new(new ModuleDescriptor("authz_host_module", "mod_authz_host.c"));

    /// <summary>
    /// The answer for a tree: OK when granted, else 403 (the caller logs AH01630). A tree that
    /// does not apply to the method grants (apply_authz_sections called with AUTHZ_LOGIC_AND:
    /// "directive limited to other methods"), so a lone &lt;LimitExcept GET&gt; leaves GET open.
    /// </summary>
    public static int Decide(AuthzNode? root, IAuthzRequest request) =>
        root is null || !root.Covers(request.Method) || root.Evaluate(request) == AuthzResult.Granted ? HookResult.Ok : 403;

    // mod_authz_core.c, authorize_user_core.
    private static int AuthorizeUserCore(RequestRecord r, ModuleDescriptor descriptor, bool afterAuthn)
    {
        AuthzDirConfig? conf = r.DirConfig.Get<AuthzDirConfig>(descriptor);
        AuthzNode? root = conf?.Root;
        if (root is null)
        {
            if (AuthnCoreModule.AuthType(r) is not null)
            {
                Log(r, "AH01627: AuthType configured with no corresponding authorization directives");
                return 500;
            }

            return HookResult.Ok;
        }

        if (!root.Covers(r.Request.Method))
        {
            // apply_authz_sections: a section limited to other methods grants under AND.
            return HookResult.Ok;
        }

        AuthzRequest request = t_request ??= new AuthzRequest();
        request.Reset(r);
        switch (root.Evaluate(request))
        {
            case AuthzResult.Granted:
                return HookResult.Ok;
            case AuthzResult.DeniedNoUser:
                if (!afterAuthn)
                {
                    // A user is needed before the rules can decide: on to authentication.
                    return HookResult.Declined;
                }

                Log(r, "AH01629: authorization failure (no authenticated user): " + r.Uri);
                if (r.User is not null)
                {
                    AccessPhase.NoteAuthFailure(r, AuthnCoreModule.AuthType(r));
                }

                return 401;
            case AuthzResult.Denied or AuthzResult.Neutral:
                string? authType = afterAuthn ? AuthnCoreModule.AuthType(r) : null;
                if (authType is null)
                {
                    Log(r, "AH01630: client denied by server configuration: " + (r.Filename ?? "uri " + r.Uri));
                    return 403;
                }

                Log(r, "AH01631: user " + r.User + ": authorization failure for \"" + r.Uri + "\": ");
                if (conf!.SendForbiddenOnFailure == true)
                {
                    return 403;
                }

                if (r.User is not null)
                {
                    AccessPhase.NoteAuthFailure(r, authType);
                }

                return 401;
            default:
                // The provider logged its error.
                return 500;
        }
    }

    private static void Log(RequestRecord r, string message)
    {
        var client = r.Request.RemoteEndPoint;
        r.Server.ErrorLog.Write(LogLevel.Error, "authz_core", message,
            (client.Address.IsIPv4MappedToIPv6 ? client.Address.MapToIPv4() : client.Address) + ":" + client.Port.ToString(CultureInfo.InvariantCulture));
    }

    private static string? Require(DirectiveCall call)
    {
        IReadOnlyList<string> words = call.Args;
        bool negate = false;
        int first = 0;
        if (words.Count > 0 && words[0].Equals("not", StringComparison.OrdinalIgnoreCase))
        {
            negate = true;
            first = 1;
        }

        if (words.Count <= first)
        {
            return "Unknown Authz provider: ";
        }

        string provider = words[first].ToLowerInvariant();
        List<string> args = [];
        for (int i = first + 1; i < words.Count; i++)
        {
            args.Add(words[i]);
        }

        if (!IsKnown(provider))
        {
            return "Unknown Authz provider: " + words[first];
        }

        string? error = CheckArguments(provider, args, out List<IpRange> ranges);
        if (error is not null)
        {
            return error;
        }

        if (provider is "expr" or "forward-dns")
        {
            call.AddWarning("PL00001", "Require " + provider + " is accepted but not implemented yet; it never grants access");
        }

        AuthzDirConfig conf = call.GetDirRecord<AuthzDirConfig>();
        AuthzNode container = conf.Current;
        if (negate && container.Logic == AuthzLogic.Any)
        {
            return "negative Require directive has no effect in " + container.Describe() + " directive";
        }

        container.Children.Add(new AuthzNode
        {
            Logic = AuthzLogic.Require,
            Negate = negate,
            Provider = provider,
            Arguments = args,
            Ranges = ranges,
            LimitedMethods = call.LimitedMethods,
            LimitExcept = call.IsLimitExcept,
        });
        return null;
    }

    private static bool IsKnown(string provider)
    {
        if (Array.IndexOf(s_coreProviders, provider) >= 0)
        {
            return true;
        }

        // Providers exist only when their module is loaded; the registry does not say which are,
        // so a provider is accepted when its module is compiled in.
        return Array.IndexOf(s_hostProviders, provider) >= 0 || AuthzProviders.Find(provider) is not null;
    }

    private static string? CheckArguments(string provider, List<string> args, out List<IpRange> ranges)
    {
        ranges = [];
        switch (provider)
        {
            case "all":
                if (args.Count != 1 || !(args[0].Equals("granted", StringComparison.OrdinalIgnoreCase) || args[0].Equals("denied", StringComparison.OrdinalIgnoreCase)))
                {
                    return "Argument for 'Require all' must be 'granted' or 'denied'";
                }

                return null;
            case "ip":
                if (args.Count == 0)
                {
                    return "'require ip' requires an argument";
                }

                foreach (string a in args)
                {
                    if (IpRange.TryParse(a) is not { } range)
                    {
                        // apr_ipsubnet_create's two failures: APR_EBADMASK and APR_EBADIP.
                        return "ip address '" + a + "' appears to be invalid: " + (IpRange.IsBadMask(a)
                            ? "The specified network mask is invalid." : "The specified IP address is invalid.");
                    }

                    ranges.Add(range);
                }

                return null;
            default:
                return null;
        }
    }

    private static string? Section(DirectiveCall call, AuthzLogic logic, bool negate)
    {
        string name = call.Node.Name + ">";
        string rest = call.RawArgs.Trim();
        if (rest.EndsWith('>'))
        {
            rest = rest[..^1].Trim();
        }

        if (rest.Length > 0)
        {
            return name + " directive doesn't take additional arguments";
        }

        AuthzDirConfig conf = call.GetDirRecord<AuthzDirConfig>();
        var section = new AuthzNode { Logic = logic, Negate = negate };
        conf.Open(section);
        try
        {
            call.ProcessChildren();
        }
        finally
        {
            conf.Close();
        }

        if (section.Children.Count == 0)
        {
            return section.Describe() + " directive contains no authorization directives";
        }

        if (logic == AuthzLogic.All && !negate && section.Children.TrueForAll(c => c.Negate))
        {
            return "AH01624: " + section.Describe() + " directive contains only negative authorization directives";
        }

        return null;
    }

    private static string? SetMerging(DirectiveCall call)
    {
        AuthzDirConfig conf = call.GetDirRecord<AuthzDirConfig>();
        string v = call.Args[0];
        if (v.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            conf.Merging = AuthMerging.Off;
        }
        else if (v.Equals("and", StringComparison.OrdinalIgnoreCase))
        {
            conf.Merging = AuthMerging.And;
        }
        else if (v.Equals("or", StringComparison.OrdinalIgnoreCase))
        {
            conf.Merging = AuthMerging.Or;
        }
        else
        {
            return "AuthMerging must be one of: Off | And | Or";
        }

        return null;
    }
}
