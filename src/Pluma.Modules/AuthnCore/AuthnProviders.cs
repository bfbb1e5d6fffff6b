using System.Collections.Concurrent;
using System.Collections.Generic;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.AuthnCore;

/// <summary>Checks a user's password for a request (an authn provider's check_password).</summary>
public delegate AuthnStatus CheckPassword(RequestRecord r, string user, byte[] password);

/// <summary>
/// The authentication providers by name (Apache's ap_register_auth_provider and
/// ap_lookup_provider for AUTHN_PROVIDER_GROUP): authn_file registers "file" when it is built.
/// Filled while the module table is made, read-only afterwards.
/// </summary>
public static class AuthnProviders
{
    /// <summary>The provider AuthBasicProvider defaults to (AUTHN_DEFAULT_PROVIDER).</summary>
    public const string Default = "file";

    private static readonly ConcurrentDictionary<string, CheckPassword> s_providers = new(StringComparer.Ordinal);

    public static void Register(string name, CheckPassword check) => s_providers[name] = check;

    public static CheckPassword? Find(string name) => s_providers.GetValueOrDefault(name);
}
