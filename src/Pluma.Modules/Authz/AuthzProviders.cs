using System.Collections.Concurrent;
using System.Collections.Generic;

namespace Pluma.Modules.Authz;

/// <summary>An authorization provider's check_authorization for one Require line's arguments.</summary>
public delegate AuthzResult CheckAuthorization(IAuthzRequest r, IReadOnlyList<string> arguments);

/// <summary>
/// The Require providers that modules other than authz_core and authz_host add (Apache's
/// ap_register_auth_provider for AUTHZ_PROVIDER_GROUP): authz_user's "user" and "valid-user",
/// authz_groupfile's "group". Filled while the module table is made, read-only afterwards.
/// </summary>
public static class AuthzProviders
{
    private static readonly ConcurrentDictionary<string, CheckAuthorization> s_providers = new(StringComparer.OrdinalIgnoreCase);

    public static void Register(string name, CheckAuthorization check) => s_providers[name] = check;

    public static CheckAuthorization? Find(string name) => s_providers.GetValueOrDefault(name);
}
