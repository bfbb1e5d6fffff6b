namespace Pluma.Modules.AuthnFile;

/// <summary>mod_authn_file's per-directory record: the AuthUserFile (a deeper section's replaces it).</summary>
public sealed class AuthnFileDirConfig
{
    public string? UserFile { get; set; }
}
