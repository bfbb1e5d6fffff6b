using System.Collections.Generic;
using Pluma.Config.Expressions;

namespace Pluma.Modules.ProxyFcgi;

/// <summary>ProxyFCGIBackendType: what kind of application server listens (fcgi_backend_t).</summary>
public enum FcgiBackendType
{
    /// <summary>Not set: treated as FPM, as Apache does.</summary>
    Unknown,

    /// <summary>PHP-FPM: SCRIPT_FILENAME keeps its "proxy:fcgi://host/" form, which FPM takes apart itself.</summary>
    Fpm,

    /// <summary>Any other FastCGI server: SCRIPT_FILENAME is the path alone, without the query.</summary>
    Generic,
}

/// <summary>One ProxyFCGISetEnvIf: a condition, the parameter to set (or, after '!', to remove) and its value.</summary>
public sealed record FcgiEnvFixup(ConfigExpression Condition, string Name, StringExpression? Value);

/// <summary>mod_proxy_fcgi's per-directory record (fcgi_dirconf_t).</summary>
public sealed class FcgiDirConfig
{
    public FcgiBackendType BackendType { get; set; }

    /// <summary>ProxyFCGISetEnvIf entries, the enclosing section's first.</summary>
    public List<FcgiEnvFixup> EnvFixups { get; } = [];

    /// <summary>Apache's FCGI_MAY_BE_FPM: FPM unless GENERIC was asked for.</summary>
    public bool MayBeFpm => BackendType != FcgiBackendType.Generic;

    public static FcgiDirConfig Merge(FcgiDirConfig b, FcgiDirConfig a)
    {
        var m = new FcgiDirConfig { BackendType = a.BackendType != FcgiBackendType.Unknown ? a.BackendType : b.BackendType };
        m.EnvFixups.AddRange(b.EnvFixups);
        m.EnvFixups.AddRange(a.EnvFixups);
        return m;
    }
}
