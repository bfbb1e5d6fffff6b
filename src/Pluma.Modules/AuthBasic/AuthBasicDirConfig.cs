using System.Collections.Generic;
using Pluma.Modules.AuthnCore;

namespace Pluma.Modules.AuthBasic;

/// <summary>mod_auth_basic's per-directory record: AuthBasicProvider and AuthBasicAuthoritative.</summary>
public sealed class AuthBasicDirConfig
{
    /// <summary>The providers in the order given; null: not set here (the default, "file").</summary>
    public List<(string Name, CheckPassword Check)>? Providers { get; set; }

    /// <summary>AuthBasicAuthoritative; null: not set here (On).</summary>
    public bool? Authoritative { get; set; }

    /// <summary>merge_auth_basic_dir_config: each setting of the deeper section wins.</summary>
    public static AuthBasicDirConfig Merge(AuthBasicDirConfig parent, AuthBasicDirConfig child) => new()
    {
        Providers = child.Providers ?? parent.Providers,
        Authoritative = child.Authoritative ?? parent.Authoritative,
    };
}
