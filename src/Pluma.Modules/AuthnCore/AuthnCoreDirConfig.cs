namespace Pluma.Modules.AuthnCore;

/// <summary>mod_authn_core's per-directory record: AuthType and AuthName.</summary>
public sealed class AuthnCoreDirConfig
{
    /// <summary>The AuthType as written; null when not set here.</summary>
    public string? AuthType { get; set; }

    /// <summary>The realm with its quotes escaped (ap_escape_quotes), ready for the challenge; null when not set.</summary>
    public string? AuthName { get; set; }

    /// <summary>merge_authn_core_dir_config: each setting of the deeper section wins.</summary>
    public static AuthnCoreDirConfig Merge(AuthnCoreDirConfig parent, AuthnCoreDirConfig child) => new()
    {
        AuthType = child.AuthType ?? parent.AuthType,
        AuthName = child.AuthName ?? parent.AuthName,
    };
}
