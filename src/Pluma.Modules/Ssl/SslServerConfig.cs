using System.Collections.Generic;

namespace Pluma.Modules.Ssl;

/// <summary>
/// mod_ssl's per-server record (SSLSrvConfigRec): what SSLEngine and the certificate, protocol
/// and cipher directives say for one server. A virtual host's record is merged over the main
/// server's as ssl_config_server_merge does (a value the vhost sets wins). <see cref="Credentials"/>
/// is filled once per process by <see cref="SslStartup"/> while the process is still root.
/// </summary>
public sealed class SslServerConfig
{
    /// <summary>SSLEngine: null when not said (off).</summary>
    public bool? Engine { get; set; }

    /// <summary>SSLCertificateFile, in order, each with where it was said.</summary>
    public List<ConfigFileRef> CertificateFiles { get; private set; } = [];

    /// <summary>SSLCertificateKeyFile, in order (the n-th key goes with the n-th certificate).</summary>
    public List<ConfigFileRef> KeyFiles { get; private set; } = [];

    public ConfigFileRef? ChainFile { get; set; }

    public ConfigFileRef? CACertificateFile { get; set; }

    public ConfigFileRef? CACertificatePath { get; set; }

    /// <summary>SSLProtocol, parsed.</summary>
    public SslProtocolSet? Protocols { get; set; }

    /// <summary>SSLCipherSuite for TLS 1.2 and below (OpenSSL's cipher string).</summary>
    public ConfigValue? CipherSuite { get; set; }

    /// <summary>SSLCipherSuite TLSv1.3 (OpenSSL's ciphersuites list).</summary>
    public ConfigValue? CipherSuiteTls13 { get; set; }

    public bool? HonorCipherOrder { get; set; }

    /// <summary>SSLOpenSSLConfCmd, in order (a virtual host's after the main server's, as mod_ssl appends them).</summary>
    public List<SslConfCmd> ConfCmds { get; private set; } = [];

    /// <summary>The protocols in force: SSLProtocol with SSLOpenSSLConfCmd's Protocol, MinProtocol and MaxProtocol over it.</summary>
    public SslProtocolSet? EffectiveProtocols => ConfCmds.Count == 0 ? Protocols : SslProtocolSet.Apply(Protocols, ConfCmds);

    /// <summary>The TLS 1.2 cipher string in force: SSLOpenSSLConfCmd CipherString over SSLCipherSuite.</summary>
    public string? EffectiveCipherString => SslConfCmd.Last(ConfCmds, "CipherString", CipherSuite?.Value);

    /// <summary>The TLS 1.3 suites in force: SSLOpenSSLConfCmd Ciphersuites over SSLCipherSuite TLSv1.3.</summary>
    public string? EffectiveCiphersuites => SslConfCmd.Last(ConfCmds, "Ciphersuites", CipherSuiteTls13?.Value);

    public bool? StrictSniVHostCheck { get; set; }

    public SslVerifyClient? VerifyClient { get; set; }

    public int? VerifyDepth { get; set; }

    public bool? SessionTickets { get; set; }

    /// <summary>SSLSessionCacheTimeout, in seconds, with where it was said.</summary>
    public ConfigValue? SessionCacheTimeout { get; set; }

    /// <summary>SSLSessionCache (global, read from the main server): the store named, for server-status.</summary>
    public string? SessionCache { get; set; }

    /// <summary>SSLPassPhraseDialog (global): "builtin" or "exec:PATH"; read from the main server.</summary>
    public string? PassPhraseDialog { get; set; }

    /// <summary>Loaded certificates and keys (by <see cref="SslStartup"/>), null before or with SSLEngine off.</summary>
    public SslCredentials? Credentials { get; set; }

    /// <summary>
    /// Whether sessions resume in this process: once <see cref="SslContextTuning"/> has given the
    /// server's OpenSSL context mod_ssl's settings, as SSLSessionCache and SSLSessionTickets say
    /// (<see cref="TunedResumes"/>); a server left on SslStream's per-handshake contexts resumes nothing.
    /// </summary>
    public bool ResumesSessions => TunedResumes ?? false;

    /// <summary>Set by <see cref="SslContextTuning"/> in each process: whether the tuned context keeps a session cache or issues tickets.</summary>
    public bool? TunedResumes { get; set; }

    /// <summary>SSLEngine on, as the merged record says.</summary>
    public bool Enabled => Engine == true;

    /// <summary>ssl_config_server_merge: what <paramref name="add"/> sets wins, lists are taken whole.</summary>
    public static SslServerConfig Merge(SslServerConfig b, SslServerConfig add) => new()
    {
        Engine = add.Engine ?? b.Engine,
        CertificateFiles = add.CertificateFiles.Count > 0 ? add.CertificateFiles : b.CertificateFiles,
        KeyFiles = add.KeyFiles.Count > 0 ? add.KeyFiles : b.KeyFiles,
        ChainFile = add.ChainFile ?? b.ChainFile,
        CACertificateFile = add.CACertificateFile ?? b.CACertificateFile,
        CACertificatePath = add.CACertificatePath ?? b.CACertificatePath,
        Protocols = add.Protocols ?? b.Protocols,
        CipherSuite = add.CipherSuite ?? b.CipherSuite,
        CipherSuiteTls13 = add.CipherSuiteTls13 ?? b.CipherSuiteTls13,
        HonorCipherOrder = add.HonorCipherOrder ?? b.HonorCipherOrder,
        ConfCmds = add.ConfCmds.Count == 0 ? b.ConfCmds : b.ConfCmds.Count == 0 ? add.ConfCmds : [.. b.ConfCmds, .. add.ConfCmds],
        StrictSniVHostCheck = add.StrictSniVHostCheck ?? b.StrictSniVHostCheck,
        VerifyClient = add.VerifyClient ?? b.VerifyClient,
        VerifyDepth = add.VerifyDepth ?? b.VerifyDepth,
        SessionTickets = add.SessionTickets ?? b.SessionTickets,
        SessionCacheTimeout = add.SessionCacheTimeout ?? b.SessionCacheTimeout,
        PassPhraseDialog = b.PassPhraseDialog,
        SessionCache = b.SessionCache,
    };
}

/// <summary>A file a directive names, with the place it was named (for Apache's file-and-line errors).</summary>
public sealed record ConfigFileRef(string Path, string ConfigFile, int Line);

/// <summary>A directive's value with the place it was said.</summary>
public sealed record ConfigValue(string Value, string ConfigFile, int Line);

/// <summary>SSLVerifyClient's levels (ssl_verify_t).</summary>
public enum SslVerifyClient
{
    None,
    Optional,
    Require,
    OptionalNoCa,
}
