namespace Pluma.Modules.Authz;

/// <summary>An authorization outcome (Apache's authz_status).</summary>
public enum AuthzResult
{
    Denied,
    Granted,
    Neutral,
    /// <summary>Denied because no user is authenticated (a user/valid-user requirement).</summary>
    DeniedNoUser,
    GeneralError,
}
