using System.Collections.Generic;
using System.Formats.Asn1;
using System.Globalization;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Pluma.Modules.Ssl;

/// <summary>
/// mod_ssl's variables (ssl_engine_vars.c ssl_var_lookup) for a TLS connection: what
/// SSLOptions +StdEnvVars puts in the environment (ssl_hook_Fixup) and +ExportCertData adds, and
/// what <c>%{VAR}x</c> and <c>%{VAR}c</c> in a LogFormat print. DNs are in RFC 2253 form, as
/// Apache prints them without LegacyDNStringFormat.
/// </summary>
public static unsafe class SslVariables
{
    /// <summary>The names ssl_hook_Fixup exports with +StdEnvVars (the client ones only when the client sent a certificate).</summary>
    private static readonly string[] s_standard =
    [
        "SSL_VERSION_INTERFACE", "SSL_VERSION_LIBRARY", "SSL_PROTOCOL", "SSL_SECURE_RENEG", "SSL_COMPRESS_METHOD",
        "SSL_CIPHER", "SSL_CIPHER_EXPORT", "SSL_CIPHER_USEKEYSIZE", "SSL_CIPHER_ALGKEYSIZE", "SSL_CLIENT_VERIFY",
        "SSL_CLIENT_M_VERSION", "SSL_CLIENT_M_SERIAL", "SSL_CLIENT_V_START", "SSL_CLIENT_V_END", "SSL_CLIENT_V_REMAIN",
        "SSL_CLIENT_S_DN", "SSL_CLIENT_I_DN", "SSL_CLIENT_A_KEY", "SSL_CLIENT_A_SIG",
        "SSL_SERVER_M_VERSION", "SSL_SERVER_M_SERIAL", "SSL_SERVER_V_START", "SSL_SERVER_V_END",
        "SSL_SERVER_S_DN", "SSL_SERVER_I_DN", "SSL_SERVER_A_KEY", "SSL_SERVER_A_SIG", "SSL_SESSION_ID", "SSL_SESSION_RESUMED",
    ];

    /// <summary>ssl_var_lookup_ssl_cert_dn_rec: the DN attributes mod_ssl names, with whether +StdEnvVars exports them (SP is ST's older name).</summary>
    private static readonly (string Name, string Oid, bool Extract)[] s_dnAttributes =
    [
        ("C", "2.5.4.6", true), ("ST", "2.5.4.8", true), ("SP", "2.5.4.8", false), ("L", "2.5.4.7", true),
        ("O", "2.5.4.10", true), ("OU", "2.5.4.11", true), ("CN", "2.5.4.3", true), ("T", "2.5.4.12", true),
        ("I", "2.5.4.43", true), ("G", "2.5.4.42", true), ("S", "2.5.4.4", true), ("D", "2.5.4.13", true),
        ("UID", "0.9.2342.19200300.100.1.1", true), ("Email", "1.2.840.113549.1.9.1", true),
    ];

    /// <summary>+StdEnvVars.</summary>
    public static void AddStandard(TlsConnection tls, Dictionary<string, string> env)
    {
        foreach (string name in s_standard)
        {
            if (Lookup(tls, name) is { } v)
            {
                env[name] = v;
            }
        }

        // modssl_var_extract_dns and modssl_var_extract_san_entries.
        if (tls.Ssl.LocalCertificate is X509Certificate2 local)
        {
            AddDnParts(env, "SSL_SERVER_S_DN_", local.SubjectName);
            AddDnParts(env, "SSL_SERVER_I_DN_", local.IssuerName);
        }

        if (Client(tls) is { } client)
        {
            AddDnParts(env, "SSL_CLIENT_S_DN_", client.SubjectName);
            AddDnParts(env, "SSL_CLIENT_I_DN_", client.IssuerName);
        }

        if (tls.Ssl.LocalCertificate is X509Certificate2 server)
        {
            AddSanEntries(env, "SSL_SERVER_SAN_", server);
        }

        if (Client(tls) is { } peer)
        {
            AddSanEntries(env, "SSL_CLIENT_SAN_", peer);
        }
    }

    /// <summary>+ExportCertData: the certificates in PEM.</summary>
    public static void AddCertData(TlsConnection tls, Dictionary<string, string> env)
    {
        if (Lookup(tls, "SSL_SERVER_CERT") is { } server)
        {
            env["SSL_SERVER_CERT"] = server;
        }

        // Set even when empty (no client certificate), as ssl_hook_Fixup sets it.
        env["SSL_CLIENT_CERT"] = Lookup(tls, "SSL_CLIENT_CERT") ?? string.Empty;
    }

    /// <summary>One variable by name, or null (ssl_var_lookup's empty answer) when the connection has no such value.</summary>
    public static string? Lookup(TlsConnection tls, string name)
    {
        var ssl = tls.Ssl;
        switch (name)
        {
            case "HTTPS": return "on";
            case "SSL_VERSION_INTERFACE" or "SSL_VERSION_LIBRARY" or "SSL_VERSION_LIBRARY_INTERFACE": return Version(name);
            case "SSL_SESSION_ID": return SslHandle.With(ssl, SessionId, (string?)null);
            case "SSL_SESSION_RESUMED": return SslHandle.With(ssl, static h => OpenSslNative.SSL_session_reused(h) == 1 ? "Resumed" : "Initial", (string?)null);
            case "SSL_PROTOCOL": return ProtocolName(ssl.SslProtocol);
            case "SSL_SECURE_RENEG": return "true";
            case "SSL_COMPRESS_METHOD": return "NULL";
            case "SSL_CIPHER": return OpenSslCipherList.Describe(ssl.NegotiatedCipherSuite).Name;
            case "SSL_CIPHER_EXPORT": return "false";
            case "SSL_CIPHER_USEKEYSIZE": return OpenSslCipherList.Describe(ssl.NegotiatedCipherSuite).Bits.ToString(CultureInfo.InvariantCulture);
            case "SSL_CIPHER_ALGKEYSIZE": return OpenSslCipherList.Describe(ssl.NegotiatedCipherSuite).AlgBits.ToString(CultureInfo.InvariantCulture);
            case "SSL_TLS_SNI": return tls.Sni.ServerName;
            case "SSL_CLIENT_VERIFY": return ClientVerify(tls);
            case "SSL_SERVER_CERT": return ssl.LocalCertificate is X509Certificate2 sc ? sc.ExportCertificatePem() + "\n" : null;
            case "SSL_CLIENT_CERT": return Client(tls)?.ExportCertificatePem() is { } pem ? pem + "\n" : null;
        }

        if (name.StartsWith("SSL_SERVER_", StringComparison.Ordinal))
        {
            return CertVar(ssl.LocalCertificate as X509Certificate2, name["SSL_SERVER_".Length..]);
        }

        if (name.StartsWith("SSL_CLIENT_", StringComparison.Ordinal))
        {
            return CertVar(Client(tls), name["SSL_CLIENT_".Length..]);
        }

        return null;
    }

    /// <summary>
    /// SSL_VERSION_INTERFACE, SSL_VERSION_LIBRARY or SSL_VERSION_LIBRARY_INTERFACE (known on any
    /// connection). Pluma is built against no OpenSSL headers, so the library it was "built
    /// with" (LIBRARY_INTERFACE) is the one it runs on.
    /// </summary>
    public static string Version(string name) => name == "SSL_VERSION_INTERFACE" ? "mod_ssl/2.4.71" : "OpenSSL/" + OpenSslVersion();

    /// <summary>SSL_SESSION_ID: the session's id in lower-case hex (modssl_SSL_SESSION_id2sz), null when it has none (a ticket-only TLS 1.2 session).</summary>
    private static string? SessionId(nint ssl)
    {
        nint session = OpenSslNative.SSL_get_session(ssl);
        if (session == 0)
        {
            return null;
        }

        byte* id = OpenSslNative.SSL_SESSION_get_id(session, out uint length);
        return id is null || length == 0 ? null : Convert.ToHexStringLower(new ReadOnlySpan<byte>(id, (int)Math.Min(length, 32u)));
    }

    /// <summary>Why the client's certificate failed verification (mod_ssl's verify_error), or null.</summary>
    public static string? VerifyError(TlsConnection tls) =>
        Client(tls) is { } cert && tls.Site.VerifyClient != SslVerifyClient.OptionalNoCa ? tls.Site.Verify(cert) : null;

    private static X509Certificate2? Client(TlsConnection tls) => tls.Ssl.RemoteCertificate as X509Certificate2;

    private static string ClientVerify(TlsConnection tls)
    {
        if (Client(tls) is not { } cert)
        {
            return "NONE";
        }

        SslSite? site = tls.Site;
        string? failure = site?.Verify(cert);
        return failure is null ? "SUCCESS" : site?.VerifyClient == SslVerifyClient.OptionalNoCa ? "GENEROUS" : "FAILED:" + failure;
    }

    private static string ProtocolName(SslProtocols p) => p switch
    {
        SslProtocols.Tls13 => "TLSv1.3",
        SslProtocols.Tls12 => "TLSv1.2",
        _ => p.ToString(),
    };

    private static string? CertVar(X509Certificate2? cert, string part)
    {
        if (cert is null)
        {
            return null;
        }

        return part switch
        {
            "M_VERSION" => cert.Version.ToString(CultureInfo.InvariantCulture),
            "M_SERIAL" => cert.SerialNumber,
            "V_START" => AsnTime(cert.NotBefore),
            "V_END" => AsnTime(cert.NotAfter),
            "V_REMAIN" => Math.Max(0, (int)(cert.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays).ToString(CultureInfo.InvariantCulture),
            "S_DN" => Rfc2253(cert.SubjectName),
            "I_DN" => Rfc2253(cert.IssuerName),
            _ when part.StartsWith("S_DN_", StringComparison.Ordinal) => DnAttribute(cert.SubjectName, part[5..]),
            _ when part.StartsWith("I_DN_", StringComparison.Ordinal) => DnAttribute(cert.IssuerName, part[5..]),
            _ when part.StartsWith("SAN_", StringComparison.Ordinal) => SanEntry(cert, part[4..]),
            "A_KEY" => cert.PublicKey.Oid.Value switch
            {
                "1.2.840.113549.1.1.1" => "rsaEncryption",
                "1.2.840.10045.2.1" => "id-ecPublicKey",
                _ => cert.PublicKey.Oid.FriendlyName,
            },
            "A_SIG" => cert.SignatureAlgorithm.Value switch
            {
                "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
                "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
                "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
                "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
                "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
                "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
                _ => cert.SignatureAlgorithm.FriendlyName,
            },
            _ => null,
        };
    }

    /// <summary>ASN1_TIME_print's form: "Dec  6 18:11:04 2026 GMT".</summary>
    private static string AsnTime(DateTime t)
    {
        DateTime u = t.ToUniversalTime();
        return u.ToString("MMM", CultureInfo.InvariantCulture) + " " + u.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2) + " " + u.ToString("HH:mm:ss yyyy", CultureInfo.InvariantCulture) + " GMT";
    }

    /// <summary>X509_NAME_print_ex with XN_FLAG_RFC2253: most specific first, comma-separated.</summary>
    private static string Rfc2253(X500DistinguishedName dn)
    {
        var sb = new StringBuilder();
        foreach (X500RelativeDistinguishedName rdn in dn.EnumerateRelativeDistinguishedNames(reversed: true))
        {
            if (sb.Length > 0)
            {
                sb.Append(',');
            }

            sb.Append(ShortName(rdn.GetSingleElementType().Value)).Append('=').Append(Escape(rdn.GetSingleElementValue() ?? string.Empty));
        }

        return sb.ToString();
    }

    /// <summary>extract_dn: each attribute mod_ssl names, the first as PREFIX+NAME, later ones as PREFIX+NAME_1, _2, ...</summary>
    private static void AddDnParts(Dictionary<string, string> env, string prefix, X500DistinguishedName? dn)
    {
        if (dn is null)
        {
            return;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (X500RelativeDistinguishedName rdn in dn.EnumerateRelativeDistinguishedNames(reversed: false))
        {
            string? oid = rdn.GetSingleElementType().Value;
            foreach (var (name, attributeOid, extract) in s_dnAttributes)
            {
                if (!extract || attributeOid != oid)
                {
                    continue;
                }

                int n = seen.GetValueOrDefault(name);
                seen[name] = n + 1;
                env[n == 0 ? prefix + name : prefix + name + "_" + n.ToString(CultureInfo.InvariantCulture)] = rdn.GetSingleElementValue() ?? string.Empty;
                break;
            }
        }
    }

    /// <summary>ssl_var_lookup_ssl_cert_dn: NAME or NAME_n, the n-th (from 0) attribute of that name, in the certificate's order.</summary>
    private static string? DnAttribute(X500DistinguishedName dn, string var)
    {
        int index = 0;
        int underscore = var.IndexOf('_', StringComparison.Ordinal);
        if (underscore >= 0 && int.TryParse(var.AsSpan(underscore + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int n))
        {
            index = n;
            var = var[..underscore];
        }

        foreach (var (name, oid, _) in s_dnAttributes)
        {
            if (name != var)
            {
                continue;
            }

            foreach (X500RelativeDistinguishedName rdn in dn.EnumerateRelativeDistinguishedNames(reversed: false))
            {
                if (rdn.GetSingleElementType().Value == oid && index-- == 0)
                {
                    return rdn.GetSingleElementValue();
                }
            }

            return null;
        }

        return null;
    }

    /// <summary>extract_san_array: PREFIX+Email_n and PREFIX+DNS_n (from 0) for the certificate's subjectAltName entries.</summary>
    private static void AddSanEntries(Dictionary<string, string> env, string prefix, X509Certificate2 cert)
    {
        foreach (string kind in (string[])["Email", "DNS"])
        {
            List<string> entries = SanEntries(cert, kind);
            for (int i = 0; i < entries.Count; i++)
            {
                env[prefix + kind + "_" + i.ToString(CultureInfo.InvariantCulture)] = entries[i];
            }
        }
    }

    /// <summary>ssl_var_lookup_ssl_cert_san: Email_n or DNS_n.</summary>
    private static string? SanEntry(X509Certificate2 cert, string var)
    {
        int underscore = var.LastIndexOf('_');
        if (underscore < 0 || !int.TryParse(var.AsSpan(underscore + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int n))
        {
            return null;
        }

        string kind = var[..underscore];
        if (kind is not ("Email" or "DNS"))
        {
            return null;
        }

        List<string> entries = SanEntries(cert, kind);
        return n < entries.Count ? entries[n] : null;
    }

    /// <summary>modssl_X509_getSAN for GEN_EMAIL ([1] rfc822Name) or GEN_DNS ([2] dNSName), in the extension's order.</summary>
    private static List<string> SanEntries(X509Certificate2 cert, string kind)
    {
        var entries = new List<string>();
        if (cert.Extensions["2.5.29.17"] is not { } san)
        {
            return entries;
        }

        var wanted = new Asn1Tag(TagClass.ContextSpecific, kind == "Email" ? 1 : 2);
        try
        {
            AsnReader names = new AsnReader(san.RawData, AsnEncodingRules.DER).ReadSequence();
            while (names.HasData)
            {
                Asn1Tag tag = names.PeekTag();
                if (tag.HasSameClassAndValue(wanted) && !tag.IsConstructed)
                {
                    entries.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, wanted));
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
            // A malformed extension has no entries mod_ssl could print either.
        }

        return entries;
    }

    private static string ShortName(string? oid) => oid switch
    {
        "2.5.4.3" => "CN",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.5" => "serialNumber",
        "1.2.840.113549.1.9.1" => "emailAddress",
        "0.9.2342.19200300.100.1.25" => "DC",
        "0.9.2342.19200300.100.1.1" => "UID",
        _ => oid ?? string.Empty,
    };

    private static string Escape(string v)
    {
        var sb = new StringBuilder(v.Length);
        for (int i = 0; i < v.Length; i++)
        {
            char c = v[i];
            if (c is ',' or '+' or '"' or '\\' or '<' or '>' or ';' || (i == 0 && c is '#' or ' ') || (i == v.Length - 1 && c == ' '))
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static string? s_openSslVersion;

    private static string OpenSslVersion() => s_openSslVersion ??= OpenSslCipherList.Version();
}
