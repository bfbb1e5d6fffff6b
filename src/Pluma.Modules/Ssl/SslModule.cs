using System.IO;
using Pluma.Config;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Ssl;

/// <summary>
/// mod_ssl (ssl_module, LoadModule'd by Debian's ssl.load): TLS over SslStream and the system
/// OpenSSL. The directives are read here into <see cref="SslServerConfig"/> and
/// <see cref="SslDirConfig"/>; certificates and keys are loaded at start-up by
/// <see cref="SslStartup"/>; connections are wrapped by <see cref="SslConnectionHandler"/>; the
/// request hooks (SNI and Host, SSLRequireSSL, the HTTPS and SSL_* environment) are in
/// <see cref="SslRequestHooks"/>. A directive or value Pluma cannot honour is refused (PL00302).
/// </summary>
public static class SslModule
{
    public const string Name = "ssl_module";

    public static ModuleDescriptor Descriptor { get; } = new(Name, "mod_ssl.c", () =>
    [
        new DirectiveDefinition("SSLEngine", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "SSL switch for the protocol engine ('on', 'off')", SetEngine),
        new DirectiveDefinition("SSLCertificateFile", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "SSL Server Certificate file ('/path/to/file' - PEM or DER encoded)",
            c => File(c, "SSLCertificateFile", (s, f) => s.CertificateFiles.Add(f))),
        new DirectiveDefinition("SSLCertificateKeyFile", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "SSL Server Private Key file ('/path/to/file' - PEM or DER encoded)",
            c => File(c, "SSLCertificateKeyFile", (s, f) => s.KeyFiles.Add(f))),
        new DirectiveDefinition("SSLCertificateChainFile", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "SSL Server CA Certificate Chain file ('/path/to/file' - PEM encoded)",
            c => File(c, "SSLCertificateChainFile", (s, f) => s.ChainFile = f)),
        new DirectiveDefinition("SSLCACertificateFile", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "SSL CA Certificate file ('/path/to/file' - PEM encoded)",
            c => File(c, "SSLCACertificateFile", (s, f) => s.CACertificateFile = f)),
        new DirectiveDefinition("SSLCACertificatePath", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "SSL CA Certificate path ('/path/to/dir' - contains PEM encoded files)", SetCAPath),
        new DirectiveDefinition("SSLProtocol", DirectiveArgs.TakeArgv, DirectiveScope.RsrcConf, "Enable or disable various SSL protocols ('[+-][" + "SSLv3|TLSv1|TLSv1.1|TLSv1.2|TLSv1.3] ...' - see manual)", SetProtocol),
        new DirectiveDefinition("SSLCipherSuite", DirectiveArgs.Take12, DirectiveScope.RsrcConf, "Colon-delimited list of permitted SSL Ciphers, optional preceded by protocol identifier ('XXX:...:XXX' - see manual)", SetCipherSuite),
        new DirectiveDefinition("SSLHonorCipherOrder", DirectiveArgs.Flag, DirectiveScope.RsrcConf, "Use the server's cipher ordering preference", SetHonorCipherOrder),
        new DirectiveDefinition("SSLStrictSNIVHostCheck", DirectiveArgs.Flag, DirectiveScope.RsrcConf, "Strict SNI virtual host checking",
            c => Server(c, s => s.StrictSniVHostCheck = c.FlagValue)),
        new DirectiveDefinition("SSLVerifyClient", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "SSL Client verify type ('none', 'optional', 'require', 'optional_no_ca')", SetVerifyClient),
        new DirectiveDefinition("SSLVerifyDepth", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "SSL Client verify depth ('N' - number of intermediate certificates)", SetVerifyDepth),
        new DirectiveDefinition("SSLSessionCache", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "SSL Session Cache storage ('none', 'nonenotnull', 'dbm:/path/to/file')", SetSessionCache),
        new DirectiveDefinition("SSLSessionCacheTimeout", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "SSL Session Cache object lifetime ('N' - number of seconds)", SetSessionCacheTimeout),
        new DirectiveDefinition("SSLSessionTickets", DirectiveArgs.Flag, DirectiveScope.RsrcConf, "Enable or disable TLS session tickets",
            c => Server(c, s => s.SessionTickets = c.FlagValue)),
        new DirectiveDefinition("SSLUseStapling", DirectiveArgs.Flag, DirectiveScope.RsrcConf, "SSL switch for the OCSP Stapling protocol ('on', 'off')",
            c => c.FlagValue ? NotBuilt(c, "OCSP stapling is not built") : null),
        new DirectiveDefinition("SSLCompression", DirectiveArgs.Flag, DirectiveScope.RsrcConf, "Enable SSL level compression (`on', `off')",
            c => c.FlagValue ? NotBuilt(c, "TLS compression is not built (and is unsafe: CRIME)") : null),
        new DirectiveDefinition("SSLInsecureRenegotiation", DirectiveArgs.Flag, DirectiveScope.RsrcConf, "Enable support for insecure renegotiation",
            c => c.FlagValue ? NotBuilt(c, "insecure renegotiation is not built") : null),
        new DirectiveDefinition("SSLRandomSeed", DirectiveArgs.Take23, DirectiveScope.RsrcConf, "SSL Pseudo Random Number Generator (PRNG) seeding source ('startup|connect builtin|file:/path|exec:/path [bytes]')", SetRandomSeed),
        new DirectiveDefinition("SSLPassPhraseDialog", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "SSL dialog mechanism for the pass phrase query ('builtin', '|/path/to/pipe_program', or 'exec:/path/to/cgi_program')", SetPassPhraseDialog),
        new DirectiveDefinition("SSLOptions", DirectiveArgs.RawArgs, DirectiveScope.OrOptions | DirectiveScope.RsrcConf | DirectiveScope.AccessConf, "Set one or more options to configure the SSL engine('[+-]option[=value] ...' - see manual)", SetOptions),
        new DirectiveDefinition("SSLOpenSSLConfCmd", DirectiveArgs.Take2, DirectiveScope.RsrcConf, "OpenSSL configuration command", SetConfCmd),
        new DirectiveDefinition("SSLRequireSSL", DirectiveArgs.NoArgs, DirectiveScope.OrAuthCfg | DirectiveScope.AccessConf, "Require the SSL protocol for the per-directory context (no arguments)",
            c =>
            {
                c.GetDirRecord<SslDirConfig>().RequireSsl = true;
                return null;
            }),
    ])
    {
        CreateServerConfig = () => new SslServerConfig(),
        MergeServerConfig = (b, a) => SslServerConfig.Merge((SslServerConfig)b, (SslServerConfig)a),
        CreateDirConfig = _ => new SslDirConfig(),
        MergeDirConfig = (b, a) => SslDirConfig.Merge((SslDirConfig)b, (SslDirConfig)a),
    };

    public static HttpModule Create()
    {
        // ssl_var_log_config_register: %{VAR}x and %{...}c in LogFormat where ssl_module is loaded.
        LogConfig.ModuleLogItems.Register('x', Name, SslLogItems.Variable);
        LogConfig.ModuleLogItems.Register('c', Name, SslLogItems.Connection);
        Status.StatusHooks.Register(Name, SslStatus.Hook);
        return new(Descriptor)
        {
            PostReadRequest = SslRequestHooks.PostReadRequest,
            CheckAccess = SslRequestHooks.Access,
            Fixups = SslRequestHooks.Fixup,
        };
    }

    /// <summary>A value Pluma's mod_ssl cannot honour: refused, never ignored.</summary>
    private static string NotBuilt(DirectiveCall c, string why) =>
        "PL00302: " + c.Directive.Name + " " + c.RawArgs + ": " + why + " in Pluma's mod_ssl, so it is refused rather than ignored";

    private static string? Server(DirectiveCall c, Action<SslServerConfig> set)
    {
        set(c.GetServerRecord<SslServerConfig>());
        return null;
    }

    private static string? SetEngine(DirectiveCall c)
    {
        string v = c.Args[0];
        if (v.Equals("on", StringComparison.OrdinalIgnoreCase) || v.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            c.GetServerRecord<SslServerConfig>().Engine = v.Equals("on", StringComparison.OrdinalIgnoreCase);
            return null;
        }

        if (v.Equals("optional", StringComparison.OrdinalIgnoreCase))
        {
            return NotBuilt(c, "the Upgrade: TLS/1.0 protocol (RFC 2817) is not built");
        }

        return "Argument must be On, Off, or Optional";
    }

    /// <summary>ssl_cmd_check_file: resolved against ServerRoot, must exist and not be empty.</summary>
    private static string? File(DirectiveCall c, string name, Action<SslServerConfig, ConfigFileRef> set)
    {
        string path = c.ResolvePath(c.Args[0]);
        var info = new FileInfo(path);
        if (!info.Exists || info.Length == 0)
        {
            return name + ": file '" + path + "' does not exist or is empty";
        }

        set(c.GetServerRecord<SslServerConfig>(), new ConfigFileRef(path, c.File, c.Line));
        return null;
    }

    private static string? SetCAPath(DirectiveCall c)
    {
        string path = c.ResolvePath(c.Args[0]);
        if (!Directory.Exists(path))
        {
            return "SSLCACertificatePath: directory '" + path + "' does not exist";
        }

        c.GetServerRecord<SslServerConfig>().CACertificatePath = new ConfigFileRef(path, c.File, c.Line);
        return null;
    }

    private static string? SetProtocol(DirectiveCall c)
    {
        string? error = SslProtocolSet.TryParse(c.Args, out SslProtocolSet? set);
        c.GetServerRecord<SslServerConfig>().Protocols = set;
        return error;
    }

    private static string? SetCipherSuite(DirectiveCall c)
    {
        SslServerConfig s = c.GetServerRecord<SslServerConfig>();
        string protocol = c.Args.Count == 2 ? c.Args[0] : "SSL";
        string list = c.Args[^1];
        bool tls13 = protocol.Equals("TLSv1.3", StringComparison.OrdinalIgnoreCase);
        if (!tls13 && !protocol.Equals("SSL", StringComparison.OrdinalIgnoreCase))
        {
            return "protocol '" + protocol + "' not supported";
        }

        // Checked now with the system OpenSSL, so -t refuses a list that selects nothing.
        if (OpenSslCipherList.Expand(tls13 ? null : list, tls13 ? list : null) is null)
        {
            return "AH01898: Unable to configure permitted SSL ciphers: " + list;
        }

        if (tls13)
        {
            s.CipherSuiteTls13 = new ConfigValue(list, c.File, c.Line);
        }
        else
        {
            s.CipherSuite = new ConfigValue(list, c.File, c.Line);
        }

        return null;
    }

    /// <summary>SslStream always chooses by the server's order (OpenSSL's SSL_OP_CIPHER_SERVER_PREFERENCE): on is honoured, off cannot be.</summary>
    private static string? SetHonorCipherOrder(DirectiveCall c)
    {
        if (!c.FlagValue)
        {
            return NotBuilt(c, "choosing by the client's cipher order is not built (SslStream always uses the server's)");
        }

        c.GetServerRecord<SslServerConfig>().HonorCipherOrder = true;
        return null;
    }

    private static string? SetVerifyClient(DirectiveCall c)
    {
        SslVerifyClient? level = c.Args[0].ToLowerInvariant() switch
        {
            "none" => SslVerifyClient.None,
            "optional" => SslVerifyClient.Optional,
            "require" => SslVerifyClient.Require,
            "optional_no_ca" => SslVerifyClient.OptionalNoCa,
            _ => null,
        };
        if (level is null)
        {
            return "SSLVerifyClient: Invalid argument '" + c.Args[0] + "'";
        }

        c.GetServerRecord<SslServerConfig>().VerifyClient = level;
        return null;
    }

    private static string? SetVerifyDepth(DirectiveCall c)
    {
        if (!int.TryParse(c.Args[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int depth))
        {
            return "SSLVerifyDepth: Invalid argument '" + c.Args[0] + "'";
        }

        c.GetServerRecord<SslServerConfig>().VerifyDepth = depth;
        return null;
    }

    /// <summary>
    /// SSLSessionCache: where sessions resume at all (SSLSessionTickets on), Pluma resumes them with
    /// OpenSSL's cache and ticket key inside each child (SslStream's own), whatever store is named. The types Apache knows are accepted,
    /// others refused as Apache refuses them.
    /// </summary>
    private static string? SetSessionCache(DirectiveCall c)
    {
        string v = c.Args[0];
        string type = v.Split(':', 2)[0].ToLowerInvariant();
        if (type is not ("none" or "nonenotnull" or "shmcb" or "shm" or "dbm" or "memcache" or "redis" or "dc"))
        {
            return "SSLSessionCache: Invalid argument: no provider for " + type + " (did you load a module mod_socache_" + type + "?)";
        }

        c.GetServerRecord<SslServerConfig>().SessionCache = v;
        return null;
    }

    private static string? SetSessionCacheTimeout(DirectiveCall c)
    {
        if (!int.TryParse(c.Args[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int seconds))
        {
            return "SSLSessionCacheTimeout: Invalid argument";
        }

        // Checked at start-up against SSLSessionTickets (SslStartup): it matters only where sessions resume.
        c.GetServerRecord<SslServerConfig>().SessionCacheTimeout = new ConfigValue(c.Args[0], c.File, c.Line);
        return null;
    }

    private static string? SetConfCmd(DirectiveCall c)
    {
        string? error = SslConfCmd.TryParse(c.Args[0], c.Args[1], c.File, c.Line, out SslConfCmd? cmd);
        if (cmd is not null)
        {
            c.GetServerRecord<SslServerConfig>().ConfCmds.Add(cmd);
        }

        return error;
    }

    private static string? SetRandomSeed(DirectiveCall c)
    {
        string when = c.Args[0].ToLowerInvariant();
        if (when is not ("startup" or "connect"))
        {
            return "SSLRandomSeed: invalid context: `" + c.Args[0] + "'";
        }

        // OpenSSL 3 seeds itself from the kernel; Apache 2.4 also ignores these sources there.
        string src = c.Args[1];
        return src == "builtin" || src.StartsWith("file:", StringComparison.Ordinal) || src.StartsWith("exec:", StringComparison.Ordinal) || src.StartsWith("egd:", StringComparison.Ordinal)
            ? null
            : "SSLRandomSeed: invalid source `" + src + "'";
    }

    private static string? SetPassPhraseDialog(DirectiveCall c)
    {
        string v = c.Args[0];
        if (v == "builtin" || (v.StartsWith("exec:", StringComparison.Ordinal) && v.Length > 5))
        {
            c.GetServerRecord<SslServerConfig>().PassPhraseDialog = v.StartsWith("exec:", StringComparison.Ordinal) ? "exec:" + c.ResolvePath(v[5..]) : v;
            return null;
        }

        if (v.StartsWith('|'))
        {
            return NotBuilt(c, "a pipe dialog is not built (use exec:)");
        }

        return "SSLPassPhraseDialog: Invalid argument";
    }

    private static string? SetOptions(DirectiveCall c)
    {
        SslDirConfig d = c.GetDirRecord<SslDirConfig>();
        bool first = true;
        foreach (string word in c.RawWords())
        {
            char sign = word.Length > 0 && (word[0] == '+' || word[0] == '-') ? word[0] : '\0';
            string name = sign == '\0' ? word : word[1..];
            SslOptions opt;
            switch (name.ToLowerInvariant())
            {
                case "stdenvvars": opt = SslOptions.StdEnvVars; break;
                case "exportcertdata": opt = SslOptions.ExportCertData; break;
                case "strictrequire": opt = SslOptions.StrictRequire; break;
                case "fakebasicauth" or "optrenegotiate" or "legacydnstringformat":
                    return NotBuilt(c, "the option " + name + " is not built");
                default:
                    return "SSLOptions: Illegal option '" + name + "'";
            }

            if (sign == '\0')
            {
                d.Options = (first ? SslOptions.None : d.Options ?? SslOptions.None) | opt;
                d.Add = SslOptions.None;
                d.Remove = SslOptions.None;
            }
            else if (sign == '+')
            {
                d.Add |= opt;
                d.Remove &= ~opt;
            }
            else
            {
                d.Remove |= opt;
                d.Add &= ~opt;
            }

            first = false;
        }

        return null;
    }
}
