using System.Collections.Generic;
using Pluma.Config;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Authz;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.AuthzUser;

/// <summary>
/// mod_authz_user: the "Require user NAME..." and "Require valid-user" providers
/// (mod_authz_user.c). Without an authenticated user both answer "denied, no user", which
/// sends the request to authentication; a user not listed is denied with AH01663.
/// </summary>
public static class AuthzUserModule
{
    public const string Name = "authz_user_module";

    public static HttpModule Create()
    {
        AuthzProviders.Register("user", CheckUser);
        AuthzProviders.Register("valid-user", static (r, _) => r.User is null ? AuthzResult.DeniedNoUser : AuthzResult.Granted);
        return new HttpModule(new ModuleDescriptor(Name, "mod_authz_user.c"));
    }

    private static AuthzResult CheckUser(IAuthzRequest r, IReadOnlyList<string> users)
    {
        if (r.User is not { } user)
        {
            return AuthzResult.DeniedNoUser;
        }

        foreach (string u in users)
        {
            if (u.Equals(user, StringComparison.Ordinal))
            {
                return AuthzResult.Granted;
            }
        }

        if (r.Record is { } record)
        {
            record.Server.ErrorLog.Write(LogLevel.Debug, "authz_user",
                "AH01663: access to " + record.Uri + " failed, reason: user '" + user + "' does not meet 'require'ments for user to be allowed access",
                LogClient.Of(record));
        }

        return AuthzResult.Denied;
    }
}
