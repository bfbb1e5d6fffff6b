using System.Collections.Generic;
using System.Net;

namespace Pluma.Modules.Authz;

/// <summary>
/// One node of a directory's authorization tree (mod_authz_core's authz_section_conf): a Require
/// line (provider and arguments) or a &lt;RequireAny&gt;/&lt;RequireAll&gt;/&lt;RequireNone&gt;
/// container. Negated nodes ("Require not", &lt;RequireNone&gt;) can only deny or stay neutral.
/// </summary>
public sealed class AuthzNode
{
    public AuthzLogic Logic { get; init; }

    public bool Negate { get; init; }

    /// <summary>all, ip, host, local, method, env, user, valid-user, group, expr ...</summary>
    public string Provider { get; init; } = string.Empty;

    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Parsed "Require ip" ranges.</summary>
    public IReadOnlyList<IpRange> Ranges { get; init; } = [];

    /// <summary>Methods of the enclosing &lt;Limit&gt; (or excluded ones of &lt;LimitExcept&gt;); null: every method.</summary>
    public IReadOnlyList<string>? LimitedMethods { get; init; }

    public bool LimitExcept { get; init; }

    /// <summary>
    /// The section a directory's Require lines go into without a container (and the one an
    /// AuthMerging merge makes): httpd's create_default_section starts with no methods and each
    /// line added ORs its own in (section->limited), so it applies only to its lines' methods.
    /// </summary>
    public bool LimitedToChildren { get; init; }

    /// <summary>Whether this node applies to <paramref name="method"/> (httpd's section->limited bit).</summary>
    public bool Covers(string method)
    {
        if (LimitedMethods is not null)
        {
            return MethodNumbers.Lists(LimitedMethods, method, StringComparison.OrdinalIgnoreCase) != LimitExcept;
        }

        if (!LimitedToChildren)
        {
            return true;
        }

        foreach (AuthzNode child in Children)
        {
            if (child.Covers(method))
            {
                return true;
            }
        }

        return false;
    }

    public List<AuthzNode> Children { get; } = [];

    /// <summary>The section name as Apache prints it in messages: "&lt;RequireAny&gt;", "Require".</summary>
    public string Describe() => Logic switch
    {
        AuthzLogic.Any => "<RequireAny>",
        AuthzLogic.All => Negate ? "<RequireNone>" : "<RequireAll>",
        _ => "Require",
    };

    /// <summary>apply_authz_sections: containers combine their children, leaves ask their provider, negation flips.</summary>
    public AuthzResult Evaluate(IAuthzRequest r)
    {
        AuthzResult result = Logic switch
        {
            AuthzLogic.Any => EvaluateAny(r),
            AuthzLogic.All => EvaluateAll(r),
            _ => EvaluateLeaf(r),
        };

        if (Negate)
        {
            result = result switch
            {
                AuthzResult.Granted => AuthzResult.Denied,
                AuthzResult.Denied or AuthzResult.DeniedNoUser => AuthzResult.Neutral,
                _ => result,
            };
        }

        return result;
    }

    private AuthzResult EvaluateAny(IAuthzRequest r)
    {
        AuthzResult result = AuthzResult.Neutral;
        foreach (AuthzNode child in Children)
        {
            AuthzResult c = child.Evaluate(r);
            if (c is AuthzResult.Granted or AuthzResult.GeneralError)
            {
                return c;
            }

            if (c == AuthzResult.DeniedNoUser || (c == AuthzResult.Denied && result != AuthzResult.DeniedNoUser))
            {
                result = c;
            }
        }

        return result;
    }

    // apply_authz_sections with AUTHZ_LOGIC_AND: a denial ends it, but a "no user yet" goes on
    // to the next child, which may still deny outright (then no password is asked for).
    private AuthzResult EvaluateAll(IAuthzRequest r)
    {
        AuthzResult result = AuthzResult.Neutral;
        foreach (AuthzNode child in Children)
        {
            AuthzResult c = child.Evaluate(r);
            if (c is AuthzResult.Denied or AuthzResult.GeneralError)
            {
                return c;
            }

            if ((c == AuthzResult.DeniedNoUser && result != AuthzResult.Denied) || (c != AuthzResult.Neutral && result == AuthzResult.Neutral))
            {
                result = c;
            }
        }

        return result;
    }

    private AuthzResult EvaluateLeaf(IAuthzRequest r)
    {
        if (!Covers(r.Method))
        {
            // A Require inside <Limit> does not apply to other methods.
            return AuthzResult.Neutral;
        }

        switch (Provider)
        {
            case "all":
                return Arguments.Count > 0 && Arguments[0].Equals("granted", StringComparison.OrdinalIgnoreCase) ? AuthzResult.Granted : AuthzResult.Denied;
            case "ip":
                foreach (IpRange range in Ranges)
                {
                    if (range.Contains(r.ClientAddress))
                    {
                        return AuthzResult.Granted;
                    }
                }

                return AuthzResult.Denied;
            case "local":
                return IsLocal(r) ? AuthzResult.Granted : AuthzResult.Denied;
            case "host":
                // No DNS lookups: only a literal address given as a host name can match.
                foreach (string h in Arguments)
                {
                    if (IPAddress.TryParse(h, out IPAddress? ip) && Normalize(ip).Equals(Normalize(r.ClientAddress)))
                    {
                        return AuthzResult.Granted;
                    }
                }

                return AuthzResult.Denied;
            case "method":
                return MethodNumbers.Lists(Arguments, r.Method, StringComparison.Ordinal) ? AuthzResult.Granted : AuthzResult.Denied;
            case "env":
                foreach (string e in Arguments)
                {
                    if (r.HasEnvironment(e))
                    {
                        return AuthzResult.Granted;
                    }
                }

                return AuthzResult.Denied;
            default:
                // authz_user, authz_groupfile ...; a provider not built never grants.
                return AuthzProviders.Find(Provider) is { } provider ? provider(r, Arguments) : AuthzResult.Denied;
        }
    }

    // authz_host's "local": loopback addresses, or the client is this host's own address.
    private static bool IsLocal(IAuthzRequest r)
    {
        IPAddress c = Normalize(r.ClientAddress);
        return IPAddress.IsLoopback(c) || c.Equals(Normalize(r.LocalAddress));
    }

    private static IPAddress Normalize(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;
}
