using System.Collections.Generic;
using System.Net.Security;
using System.Runtime.InteropServices;

namespace Pluma.Modules.Ssl;

/// <summary>
/// Expands SSLCipherSuite's OpenSSL strings (<c>HIGH:!aNULL</c>, and the TLSv1.3 ciphersuites
/// list) with the system OpenSSL itself, exactly as Apache's SSL_CTX_set_cipher_list does, into
/// the IANA suite numbers SslStream's <see cref="CipherSuitesPolicy"/> takes. The same libssl
/// serves the connections, so the expansion is the one the handshake would have made.
/// </summary>
internal static partial class OpenSslCipherList
{
    private const string Ssl = "libssl.so.3";
    private const string Crypto = "libcrypto.so.3";

    /// <summary>
    /// The suites of <paramref name="tls12"/> (null: OpenSSL's default) and <paramref name="tls13"/>
    /// (null: OpenSSL's default), TLS 1.3 first as OpenSSL orders them; null when
    /// <paramref name="tls12"/> or <paramref name="tls13"/> selects nothing.
    /// </summary>
    public static List<TlsCipherSuite>? Expand(string? tls12, string? tls13)
    {
        nint ctx = SSL_CTX_new(TLS_server_method());
        if (ctx == 0)
        {
            return null;
        }

        try
        {
            if ((tls12 is not null && SSL_CTX_set_cipher_list(ctx, tls12) != 1)
                || (tls13 is not null && SSL_CTX_set_ciphersuites(ctx, tls13) != 1))
            {
                return null;
            }

            nint sk = SSL_CTX_get_ciphers(ctx);
            int n = sk == 0 ? 0 : OPENSSL_sk_num(sk);
            var list = new List<TlsCipherSuite>(n);
            for (int i = 0; i < n; i++)
            {
                list.Add((TlsCipherSuite)SSL_CIPHER_get_protocol_id(OPENSSL_sk_value(sk, i)));
            }

            return list;
        }
        finally
        {
            SSL_CTX_free(ctx);
        }
    }

    private static Dictionary<ushort, (string Name, int Bits, int AlgBits)>? s_names;

    /// <summary>OpenSSL's name of a suite and its secret and algorithm key sizes (SSL_CIPHER, SSL_CIPHER_USEKEYSIZE, SSL_CIPHER_ALGKEYSIZE).</summary>
    public static (string Name, int Bits, int AlgBits) Describe(TlsCipherSuite suite)
    {
        Dictionary<ushort, (string Name, int Bits, int AlgBits)> names = s_names ??= LoadNames();
        return names.TryGetValue((ushort)suite, out var d) ? d : (suite.ToString(), 0, 0);
    }

    private static unsafe Dictionary<ushort, (string Name, int Bits, int AlgBits)> LoadNames()
    {
        var names = new Dictionary<ushort, (string, int, int)>();
        nint ctx = SSL_CTX_new(TLS_server_method());
        if (ctx == 0)
        {
            return names;
        }

        try
        {
            if (SSL_CTX_set_cipher_list(ctx, "ALL:COMPLEMENTOFALL:@SECLEVEL=0") != 1)
            {
                return names;
            }

            nint sk = SSL_CTX_get_ciphers(ctx);
            int n = sk == 0 ? 0 : OPENSSL_sk_num(sk);
            for (int i = 0; i < n; i++)
            {
                nint c = OPENSSL_sk_value(sk, i);
                int alg;
                int bits = SSL_CIPHER_get_bits(c, &alg);
                names[SSL_CIPHER_get_protocol_id(c)] = (Marshal.PtrToStringUTF8(SSL_CIPHER_get_name(c)) ?? string.Empty, bits, alg);
            }
        }
        finally
        {
            SSL_CTX_free(ctx);
        }

        return names;
    }

    /// <summary>The library's version number text ("3.0.22"), as SSL_VERSION_LIBRARY shows it.</summary>
    public static string Version()
    {
        string full = Marshal.PtrToStringUTF8(OpenSSL_version(0)) ?? "OpenSSL";
        string[] words = full.Split(' ');
        return words.Length > 1 ? words[1] : full;
    }

    [LibraryImport(Crypto)]
    private static partial nint OpenSSL_version(int type);

    [LibraryImport(Ssl)]
    private static partial nint SSL_CIPHER_get_name(nint cipher);

    [LibraryImport(Ssl)]
    private static unsafe partial int SSL_CIPHER_get_bits(nint cipher, int* algBits);

    [LibraryImport(Ssl)]
    private static partial nint TLS_server_method();

    [LibraryImport(Ssl)]
    private static partial nint SSL_CTX_new(nint method);

    [LibraryImport(Ssl)]
    private static partial void SSL_CTX_free(nint ctx);

    [LibraryImport(Ssl, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SSL_CTX_set_cipher_list(nint ctx, string list);

    [LibraryImport(Ssl, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SSL_CTX_set_ciphersuites(nint ctx, string list);

    [LibraryImport(Ssl)]
    private static partial nint SSL_CTX_get_ciphers(nint ctx);

    [LibraryImport(Ssl)]
    private static partial ushort SSL_CIPHER_get_protocol_id(nint cipher);

    [LibraryImport(Crypto)]
    private static partial int OPENSSL_sk_num(nint stack);

    [LibraryImport(Crypto)]
    private static partial nint OPENSSL_sk_value(nint stack, int index);
}
