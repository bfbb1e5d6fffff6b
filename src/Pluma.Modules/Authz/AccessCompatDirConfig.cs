using System.Collections.Generic;

namespace Pluma.Modules.Authz;

/// <summary>mod_access_compat's per-directory record: Order, the Allow and Deny lists, Satisfy.</summary>
public sealed class AccessCompatDirConfig
{
    public AccessOrder? Order { get; set; }

    public List<AccessRule> Allows { get; } = [];

    public List<AccessRule> Denies { get; } = [];

    /// <summary>Satisfy Any: null = not set (All).</summary>
    public bool? SatisfyAny { get; set; }

    public bool HasRules => Order is not null || Allows.Count > 0 || Denies.Count > 0;

    /// <summary>A section with its own rules replaces the inherited ones (create_access_dir_config per section, as httpd).</summary>
    public static AccessCompatDirConfig Merge(AccessCompatDirConfig parent, AccessCompatDirConfig child)
    {
        AccessCompatDirConfig source = child.HasRules ? child : parent;
        var m = new AccessCompatDirConfig { Order = source.Order, SatisfyAny = child.SatisfyAny ?? parent.SatisfyAny };
        m.Allows.AddRange(source.Allows);
        m.Denies.AddRange(source.Denies);
        return m;
    }

    /// <summary>check_dir_access: true when the client may pass.</summary>
    public bool Permits(IAuthzRequest r)
    {
        bool allowed = Any(Allows, r), denied = Any(Denies, r);
        return (Order ?? AccessOrder.DenyAllow) switch
        {
            AccessOrder.AllowDeny => allowed && !denied,
            AccessOrder.MutualFailure => allowed && !denied,
            _ => !denied || allowed,
        };
    }

    private static bool Any(List<AccessRule> rules, IAuthzRequest r)
    {
        foreach (AccessRule rule in rules)
        {
            if (rule.Matches(r))
            {
                return true;
            }
        }

        return false;
    }
}
