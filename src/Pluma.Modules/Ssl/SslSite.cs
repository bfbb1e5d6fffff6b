using System.Collections.Generic;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Ssl;

/// <summary>
/// One server with SSLEngine on, ready to handshake: its SslStream options built once from its
/// record and credentials (the SSL_CTX mod_ssl builds per server).
/// </summary>
public sealed class SslSite
{
    public SslSite(VirtualServer server, SslServerConfig config, SslCredentials credentials, bool offerH2 = false)
    {
        Server = server;
        Config = config;
        Credentials = credentials;
        VerifyClient = config.VerifyClient ?? SslVerifyClient.None;
        VerifyDepth = config.VerifyDepth ?? 1;
        _offerH2 = offerH2;
        Options = BuildOptions(cached: false);
    }

    private readonly bool _offerH2;

    /// <summary>The warm-up connection that holds <see cref="Context"/> in SslStream's cache for the life of the process.</summary>
    internal IDisposable? ContextHolder { get; private set; }

    /// <summary>
    /// The options every handshake of this server uses. Until <see cref="UseContext"/> they carry
    /// the cipher lists as SslStream's CipherSuitesPolicy and never resume, so SslStream builds
    /// one OpenSSL context per handshake and no setting of mod_ssl goes unhonoured.
    /// </summary>
    public SslServerAuthenticationOptions Options { get; private set; }

    /// <summary>
    /// The OpenSSL context (SSL_CTX*) every handshake of this server must use once
    /// <see cref="SslContextTuning"/> gave it mod_ssl's settings; 0 while SslStream builds one per handshake.
    /// </summary>
    public nint Context { get; private set; }

    /// <summary>
    /// SslStream's options for this server. <paramref name="cached"/>: no CipherSuitesPolicy and
    /// TLS resumption allowed, so SslStream takes its context from its cache (keyed by the
    /// certificates and protocols), where <see cref="SslContextTuning"/> sets the cipher lists,
    /// session cache and tickets as mod_ssl does; else the cipher lists as a policy, no resumption.
    /// </summary>
    internal SslServerAuthenticationOptions BuildOptions(bool cached) => new()
    {
        ServerCertificateContext = Credentials.Context,
        EnabledSslProtocols = Config.EffectiveProtocols?.Offered ?? System.Security.Authentication.SslProtocols.None,
        CipherSuitesPolicy = cached ? null : Policy(Config),
        ClientCertificateRequired = VerifyClient != SslVerifyClient.None,
        RemoteCertificateValidationCallback = VerifyClient == SslVerifyClient.None ? null : ValidateClient,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        // Protocols as mod_ssl offers them by ALPN: h2 first where mod_http2 serves this
        // server (the server's order wins, as ProtocolsHonorOrder on), else http/1.1 only.
        ApplicationProtocols = _offerH2 ? [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11] : [SslApplicationProtocol.Http11],
        AllowRenegotiation = false,
        AllowTlsResume = cached,
    };

    /// <summary>From now on handshakes take the tuned context <paramref name="context"/>, which <paramref name="holder"/> keeps in SslStream's cache.</summary>
    internal void UseContext(nint context, SslServerAuthenticationOptions options, IDisposable? holder)
    {
        Context = context;
        Options = options;
        ContextHolder = holder;
    }

    public VirtualServer Server { get; }

    public SslServerConfig Config { get; }

    public SslCredentials Credentials { get; }

    public SslVerifyClient VerifyClient { get; }

    public int VerifyDepth { get; }

    /// <summary>"server:port" as Apache names a server in mod_ssl's log lines (ssl_util_vhostid).</summary>
    public string VhostId => Credentials.VhostId;

    private static CipherSuitesPolicy? Policy(SslServerConfig c)
    {
        if (c.EffectiveCipherString is null && c.EffectiveCiphersuites is null)
        {
            return null;
        }

        List<TlsCipherSuite>? suites = OpenSslCipherList.Expand(c.EffectiveCipherString, c.EffectiveCiphersuites);
        return suites is null || OperatingSystem.IsWindows() ? null : new CipherSuitesPolicy(suites);
    }

    /// <summary>
    /// SSLVerifyClient's check of the client's certificate against SSLCACertificateFile/Path
    /// (ssl_callback_SSLVerify): required or optional certificates must chain to one of those CAs
    /// within SSLVerifyDepth; optional_no_ca takes any.
    /// </summary>
    private bool ValidateClient(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return VerifyClient != SslVerifyClient.Require;
        }

        return VerifyClient == SslVerifyClient.OptionalNoCa || Verify(certificate) is null;
    }

    /// <summary>Null when <paramref name="certificate"/> chains to a configured CA within the depth; else the reason (SSL_CLIENT_VERIFY's FAILED:reason).</summary>
    public string? Verify(X509Certificate certificate)
    {
        if (Credentials.ClientCAs is not { Count: > 0 } cas)
        {
            return "unable to get local issuer certificate";
        }

        using var cert = new X509Certificate2(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(cas);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (!chain.Build(cert))
        {
            foreach (X509ChainStatus s in chain.ChainStatus)
            {
                return s.StatusInformation.Trim();
            }

            return "certificate verify failed";
        }

        return chain.ChainElements.Count - 1 > VerifyDepth ? "certificate chain too long" : null;
    }
}
