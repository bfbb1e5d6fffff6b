namespace Pluma.Modules.Ssl;

/// <summary>SSLOptions' flags Pluma builds (ssl_opt_t).</summary>
[Flags]
public enum SslOptions
{
    None = 0,
    StdEnvVars = 1,
    ExportCertData = 2,
    StrictRequire = 4,
}

/// <summary>
/// mod_ssl's per-directory record (SSLDirConfigRec): SSLOptions with Apache's +/- merge and
/// SSLRequireSSL.
/// </summary>
public sealed class SslDirConfig
{
    /// <summary>Options set outright (no sign), or null when only +/- were said.</summary>
    public SslOptions? Options { get; set; }

    public SslOptions Add { get; set; }

    public SslOptions Remove { get; set; }

    public bool? RequireSsl { get; set; }

    /// <summary>The options in force.</summary>
    public SslOptions Effective => ((Options ?? SslOptions.None) | Add) & ~Remove;

    /// <summary>ssl_config_perdir_merge: an outright set replaces, +/- accumulate.</summary>
    public static SslDirConfig Merge(SslDirConfig b, SslDirConfig add)
    {
        if (add.Options is not null)
        {
            return new SslDirConfig { Options = add.Options, Add = add.Add, Remove = add.Remove, RequireSsl = add.RequireSsl ?? b.RequireSsl };
        }

        return new SslDirConfig
        {
            Options = b.Options,
            Add = (b.Add & ~add.Remove) | add.Add,
            Remove = (b.Remove & ~add.Add) | add.Remove,
            RequireSsl = add.RequireSsl ?? b.RequireSsl,
        };
    }
}
