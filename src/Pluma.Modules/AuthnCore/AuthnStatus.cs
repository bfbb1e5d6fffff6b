namespace Pluma.Modules.AuthnCore;

/// <summary>What an authentication provider answers (mod_auth.h's authn_status).</summary>
public enum AuthnStatus
{
    Denied,
    Granted,
    UserFound,
    UserNotFound,
    GeneralError,
}
