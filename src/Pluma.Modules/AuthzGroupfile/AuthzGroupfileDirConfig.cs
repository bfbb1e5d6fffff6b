namespace Pluma.Modules.AuthzGroupfile;

/// <summary>mod_authz_groupfile's per-directory record: the AuthGroupFile (a deeper section's replaces it).</summary>
public sealed class AuthzGroupfileDirConfig
{
    public string? GroupFile { get; set; }
}
