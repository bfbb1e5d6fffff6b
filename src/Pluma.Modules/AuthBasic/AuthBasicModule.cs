using Pluma.Config;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.AuthnCore;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.AuthBasic;

/// <summary>
/// mod_auth_basic: for "AuthType Basic", reads the client's Authorization field, asks the
/// AuthBasicProvider providers (authn_file's "file" by default) and answers 401 with
/// <c>WWW-Authenticate: Basic realm="..."</c> when the client sent none, another scheme, an
/// unknown user or a wrong password (mod_auth_basic.c, authenticate_basic_user). The user is set
/// before the password is checked, as in Apache, so the access log names who tried.
/// AuthBasicFake (headers for a backend) and AuthBasicUseDigestAlgorithm are accepted with a
/// PL00001 warning and have no effect: neither can grant access without a valid password.
/// </summary>
public static class AuthBasicModule
{
    public const string Name = "auth_basic_module";

    public static HttpModule Create()
    {
        var descriptor = new ModuleDescriptor(Name, "mod_auth_basic.c", () =>
        [
            new DirectiveDefinition("AuthBasicProvider", DirectiveArgs.Iterate, DirectiveScope.OrAuthCfg,
                "specify the auth providers for a directory or location", AddProvider),
            new DirectiveDefinition("AuthBasicAuthoritative", DirectiveArgs.Flag, DirectiveScope.OrAuthCfg,
                "Set to 'Off' to allow access control to be passed along to lower modules if the UserID is not known to this module",
                DirectiveBinders.Flag<AuthBasicDirConfig>(DirectiveTarget.Directory, (c, v) => c.Authoritative = v)),
            DirectiveDefinition.Pending("AuthBasicFake", DirectiveArgs.Take12, DirectiveScope.OrAuthCfg,
                "Fake basic authentication using the given expressions for username and password, 'off' to disable. Password defaults to 'password' if missing."),
            DirectiveDefinition.Pending("AuthBasicUseDigestAlgorithm", DirectiveArgs.Take1, DirectiveScope.OrAuthCfg,
                "Set to 'MD5' to use the auth provider's authentication check for digest auth, using a hash of 'user:realm:pass'"),
        ])
        {
            CreateDirConfig = _ => new AuthBasicDirConfig(),
            MergeDirConfig = (b, a) => AuthBasicDirConfig.Merge((AuthBasicDirConfig)b, (AuthBasicDirConfig)a),
        };
        return new HttpModule(descriptor)
        {
            CheckUserId = r => AuthenticateBasicUser(r, descriptor),
            NoteAuthFailure = (r, type) =>
            {
                if (!type.Equals("Basic", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }

                NoteBasicAuthFailure(r);
                return true;
            },
        };
    }

    private static int AuthenticateBasicUser(RequestRecord r, ModuleDescriptor descriptor)
    {
        string? type = AuthnCoreModule.AuthType(r);
        if (type is null || !type.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return HookResult.Declined;
        }

        if (AuthnCoreModule.AuthName(r) is null)
        {
            Log(r, "AH01615: need AuthName: " + r.Uri);
            return 500;
        }

        string? field = r.Request.Headers["Authorization"];
        if (field is null)
        {
            NoteBasicAuthFailure(r);
            return 401;
        }

        if (BasicCredentials.Parse(field, out string? user, out byte[] password, out string userForLog) == BasicCredentials.Outcome.WrongScheme)
        {
            Log(r, "AH01614: client used wrong authentication scheme: " + r.Uri);
            NoteBasicAuthFailure(r);
            return 401;
        }

        // Set before the check, as get_basic_auth does: %u shows who tried.
        r.User = userForLog;
        AuthBasicDirConfig? conf = r.DirConfig.Get<AuthBasicDirConfig>(descriptor);
        AuthnStatus result = user is null ? AuthnStatus.UserNotFound : CheckProviders(r, conf, user, password);
        if (result == AuthnStatus.Granted)
        {
            return HookResult.Ok;
        }

        if (conf?.Authoritative == false && result != AuthnStatus.Denied)
        {
            return HookResult.Declined;
        }

        switch (result)
        {
            case AuthnStatus.Denied:
                Log(r, "AH01617: user " + userForLog + ": authentication failure for \"" + r.Uri + "\": Password Mismatch");
                break;
            case AuthnStatus.UserNotFound:
                Log(r, "AH01618: user " + userForLog + " not found: " + r.Uri);
                break;
            default:
                // The provider logged what went wrong.
                return 500;
        }

        NoteBasicAuthFailure(r);
        return 401;
    }

    // The providers in order until one knows the user (authenticate_basic_user's loop).
    private static AuthnStatus CheckProviders(RequestRecord r, AuthBasicDirConfig? conf, string user, byte[] password)
    {
        if (conf?.Providers is not { } providers)
        {
            if (AuthnProviders.Find(AuthnProviders.Default) is not { } check)
            {
                Log(r, "AH01616: No Authn provider configured");
                return AuthnStatus.GeneralError;
            }

            return check(r, user, password);
        }

        AuthnStatus result = AuthnStatus.UserNotFound;
        foreach ((string _, CheckPassword provider) in providers)
        {
            result = provider(r, user, password);
            if (result != AuthnStatus.UserNotFound)
            {
                break;
            }
        }

        return result;
    }

    private static void NoteBasicAuthFailure(RequestRecord r)
    {
        if (!r.IsSubRequest)
        {
            // Kept by the error page as Apache keeps err_headers_out.
            r.Response.Headers.Set("WWW-Authenticate", "Basic realm=\"" + AuthnCoreModule.AuthName(r) + "\"");
        }
    }

    private static string? AddProvider(DirectiveCall call)
    {
        string name = call.Args[0];
        if (AuthnProviders.Find(name) is not { } check)
        {
            return "Unknown Authn provider: " + name;
        }

        AuthBasicDirConfig conf = call.GetDirRecord<AuthBasicDirConfig>();
        (conf.Providers ??= []).Add((name, check));
        return null;
    }

    private static void Log(RequestRecord r, string message) =>
        r.Server.ErrorLog.Write(LogLevel.Error, "auth_basic", message, LogClient.Of(r));
}
