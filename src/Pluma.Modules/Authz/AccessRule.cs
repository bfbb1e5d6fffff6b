using System.Collections.Generic;

namespace Pluma.Modules.Authz;

/// <summary>One "Allow from"/"Deny from" word: all, env=[!]VAR, an address range, or a host name (literal only, no DNS).</summary>
public sealed record AccessRule(string Text, IpRange? Range, string? Env, bool NegateEnv, IReadOnlyList<string>? LimitedMethods, bool LimitExcept)
{
    public bool IsAll => Text.Equals("all", StringComparison.OrdinalIgnoreCase);

    public bool Matches(IAuthzRequest r)
    {
        if (LimitedMethods is not null && MethodNumbers.Lists(LimitedMethods, r.Method, StringComparison.OrdinalIgnoreCase) == LimitExcept)
        {
            return false;
        }

        if (IsAll)
        {
            return true;
        }

        if (Env is not null)
        {
            return r.HasEnvironment(Env) != NegateEnv;
        }

        return Range is not null && Range.Contains(r.ClientAddress);
    }
}
