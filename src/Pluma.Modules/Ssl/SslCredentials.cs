using System.Collections.Generic;
using System.IO;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pluma.Config;

namespace Pluma.Modules.Ssl;

/// <summary>
/// One server's certificate, key and chain, loaded and checked once per process (mod_ssl's
/// ssl_init_server_certs), while the process is still root: the key file is read into memory
/// here and never again, and never written anywhere.
/// </summary>
public sealed class SslCredentials
{
    private SslCredentials(string vhostId, X509Certificate2 leaf, SslStreamCertificateContext context, X509Certificate2Collection? clientCAs)
    {
        VhostId = vhostId;
        Leaf = leaf;
        Context = context;
        ClientCAs = clientCAs;
    }

    /// <summary>"name:port" as mod_ssl names the server in its log lines (ssl_util_vhostid).</summary>
    public string VhostId { get; }

    /// <summary>The server certificate with its private key.</summary>
    public X509Certificate2 Leaf { get; }

    /// <summary>What SslStream sends: the certificate and its chain.</summary>
    public SslStreamCertificateContext Context { get; }

    /// <summary>SSLCACertificateFile/Path: the CAs client certificates must chain to; null when none.</summary>
    public X509Certificate2Collection? ClientCAs { get; }

    /// <summary>
    /// Loads the server's certificate and key; throws <see cref="ConfigException"/> with
    /// Apache's message and the directive's place. <paramref name="vhostId"/> is Apache's
    /// <c>name:port</c>; <paramref name="passPhrase"/> asks SSLPassPhraseDialog for an encrypted key, given its id (<c>name:port:0</c>).
    /// </summary>
    public static SslCredentials Load(SslServerConfig c, string vhostId, string serverFile, int serverLine, Func<string, string?> passPhrase)
    {
        if (c.CertificateFiles.Count == 0)
        {
            throw Refuse("AH02572: Failed to configure at least one certificate and key for " + vhostId, serverFile, serverLine);
        }

        if (c.CertificateFiles.Count > 1)
        {
            ConfigFileRef second = c.CertificateFiles[1];
            throw Refuse("PL00301: SSLCertificateFile " + second.Path + ": Pluma serves one certificate per server (SslStream picks no certificate by the client's signature algorithms); a second one is refused rather than never sent", second.ConfigFile, second.Line);
        }

        ConfigFileRef certFile = c.CertificateFiles[0];
        ConfigFileRef keyFile = c.KeyFiles.Count > 0 ? c.KeyFiles[0] : certFile;
        string keyId = vhostId + ":0";

        var certs = new X509Certificate2Collection();
        try
        {
            certs.ImportFromPemFile(certFile.Path);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            certs.Clear();
        }

        if (certs.Count == 0)
        {
            throw Refuse(c.ChainFile is null
                ? "AH02562: Failed to configure certificate " + keyId + " (with chain), check " + certFile.Path
                : "AH02561: Failed to configure certificate " + keyId + ", check " + certFile.Path, certFile.ConfigFile, certFile.Line);
        }

        X509Certificate2 leaf = certs[0];
        X509Certificate2 withKey = AttachKey(leaf, keyFile, vhostId, certFile, passPhrase);

        var chain = new X509Certificate2Collection();
        for (int i = 1; i < certs.Count; i++)
        {
            chain.Add(certs[i]);
        }

        if (c.ChainFile is { } chainFile)
        {
            try
            {
                chain.ImportFromPemFile(chainFile.Path);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw Refuse("AH02561: Failed to configure CA certificate chain!", chainFile.ConfigFile, chainFile.Line);
            }
        }

        X509Certificate2Collection? cas = LoadClientCAs(c);
        SslCertificateTrust? trust = cas is null ? null : SslCertificateTrust.CreateForX509Collection(cas, sendTrustInHandshake: true);
        var context = SslStreamCertificateContext.Create(withKey, chain, offline: true, trust);
        return new SslCredentials(vhostId, withKey, context, cas);
    }

    private static X509Certificate2 AttachKey(X509Certificate2 leaf, ConfigFileRef keyFile, string vhostId, ConfigFileRef certFile, Func<string, string?> passPhrase)
    {
        string keyId = vhostId + ":0";
        string pem;
        try
        {
            pem = File.ReadAllText(keyFile.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Refuse("AH02574: Init: Can't open server private key file " + keyFile.Path + "\nAH02564: Failed to configure encrypted (?) private key " + keyId + ", check " + keyFile.Path, keyFile.ConfigFile, keyFile.Line);
        }

        bool encrypted = pem.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal)
            || pem.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal);
        string? password = null;
        if (encrypted)
        {
            password = passPhrase(keyId);
            if (password is null)
            {
                throw Refuse("AH02578: Init: Unable to read pass phrase [Hint: key introduced or changed before restart?]\nAH02564: Failed to configure encrypted (?) private key " + keyId + ", check " + keyFile.Path, keyFile.ConfigFile, keyFile.Line);
            }
        }

        AsymmetricAlgorithm key;
        try
        {
            key = ImportKey(leaf, pem, password);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw Refuse("AH02564: Failed to configure encrypted (?) private key " + keyId + ", check " + keyFile.Path, keyFile.ConfigFile, keyFile.Line);
        }

        try
        {
            return key switch
            {
                RSA rsa => leaf.CopyWithPrivateKey(rsa),
                ECDsa ec => leaf.CopyWithPrivateKey(ec),
                _ => throw new ArgumentException("unsupported key"),
            };
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw Refuse("AH02565: Certificate and private key " + keyId + " from " + certFile.Path + " and " + keyFile.Path + " do not match", keyFile.ConfigFile, keyFile.Line);
        }
        finally
        {
            key.Dispose();
        }
    }

    /// <summary>The key of the certificate's algorithm (RSA or ECDSA) from its PEM text.</summary>
    private static AsymmetricAlgorithm ImportKey(X509Certificate2 leaf, string pem, string? password)
    {
        if (leaf.GetRSAPublicKey() is { } rsaPublic)
        {
            rsaPublic.Dispose();
            var rsa = RSA.Create();
            Import(rsa, pem, password);
            return rsa;
        }

        if (leaf.GetECDsaPublicKey() is { } ecPublic)
        {
            ecPublic.Dispose();
            var ec = ECDsa.Create();
            Import(ec, pem, password);
            return ec;
        }

        throw new ArgumentException("The certificate's key is neither RSA nor ECDSA.");
    }

    private static void Import(AsymmetricAlgorithm key, string pem, string? password)
    {
        if (password is null)
        {
            key.ImportFromPem(pem);
        }
        else
        {
            key.ImportFromEncryptedPem(pem, password);
        }
    }

    /// <summary>Apache's message at the directive's file and line (as -t and start-up print it).</summary>
    internal static ConfigException Refuse(string message, string file, int line) => new(message, file, line, ConfigErrorPhase.Process);

    private static X509Certificate2Collection? LoadClientCAs(SslServerConfig c)
    {
        if (c.CACertificateFile is null && c.CACertificatePath is null)
        {
            return null;
        }

        var cas = new X509Certificate2Collection();
        if (c.CACertificateFile is { } file)
        {
            try
            {
                cas.ImportFromPemFile(file.Path);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw Refuse("AH01896: Unable to configure verify locations for client authentication", file.ConfigFile, file.Line);
            }
        }

        if (c.CACertificatePath is { } dir)
        {
            foreach (string path in Directory.EnumerateFiles(dir.Path))
            {
                try
                {
                    cas.ImportFromPemFile(path);
                }
                catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
                {
                    // The hashed directory also holds CRLs and other files OpenSSL would skip.
                }
            }
        }

        return cas;
    }
}
