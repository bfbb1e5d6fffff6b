using System.Runtime.InteropServices;

namespace Pluma.Modules.Ssl;

/// <summary>
/// The few libssl calls mod_ssl makes that SslStream has no setting for: the session a
/// connection uses (ssl_var_lookup_ssl's SESSION_ID and SESSION_RESUMED) and the per-server
/// context's session cache, timeout, tickets and cipher lists (ssl_init_ctx_session_cache,
/// ssl_init_ctx_cipher_suite). The library is the one SslStream itself runs on (OpenSSL 3,
/// loaded by .NET's own crypto shim before any of these is called).
/// </summary>
internal static unsafe partial class OpenSslNative
{
    public const string LibSsl = "libssl.so.3";

    /// <summary>Every function below, for the check that the library has them all.</summary>
    public static readonly string[] Functions =
    [
        "SSL_get_SSL_CTX", "SSL_get_session", "SSL_SESSION_get_id", "SSL_session_reused", "SSL_CTX_set_timeout",
        "SSL_CTX_ctrl", "SSL_CTX_set_options", "SSL_CTX_clear_options", "SSL_CTX_set_cipher_list", "SSL_CTX_set_ciphersuites",
        "SSL_CTX_sess_set_new_cb", "SSL_CTX_sess_set_get_cb", "SSL_CTX_sess_set_remove_cb", "i2d_SSL_SESSION", "d2i_SSL_SESSION",
        "SSL_SESSION_get_time", "SSL_SESSION_get_timeout", "SSL_CTX_set_session_id_context",
    ];

    // ssl.h: SSL_CTX_ctrl commands and session cache modes, SSL_OP_NO_TICKET.
    public const int SslCtrlSetSessCacheSize = 42;
    public const int SslCtrlSetSessCacheMode = 44;
    public const long SslSessCacheOff = 0x0000;
    public const long SslSessCacheServer = 0x0002;
    public const long SslSessCacheNoInternal = 0x0100 | 0x0200;
    public const ulong SslOpNoTicket = 1UL << 14;

    [LibraryImport(LibSsl)]
    public static partial nint SSL_get_SSL_CTX(nint ssl);

    [LibraryImport(LibSsl)]
    public static partial nint SSL_get_session(nint ssl);

    [LibraryImport(LibSsl)]
    public static partial byte* SSL_SESSION_get_id(nint session, out uint length);

    [LibraryImport(LibSsl)]
    public static partial int SSL_session_reused(nint ssl);

    [LibraryImport(LibSsl)]
    public static partial long SSL_CTX_set_timeout(nint ctx, long seconds);

    [LibraryImport(LibSsl)]
    public static partial long SSL_CTX_ctrl(nint ctx, int cmd, long larg, nint parg);

    [LibraryImport(LibSsl)]
    public static partial ulong SSL_CTX_set_options(nint ctx, ulong options);

    [LibraryImport(LibSsl)]
    public static partial ulong SSL_CTX_clear_options(nint ctx, ulong options);

    [LibraryImport(LibSsl, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SSL_CTX_set_cipher_list(nint ctx, string list);

    [LibraryImport(LibSsl, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SSL_CTX_set_ciphersuites(nint ctx, string list);

    [LibraryImport(LibSsl)]
    public static partial void SSL_CTX_sess_set_new_cb(nint ctx, delegate* unmanaged<nint, nint, int> callback);

    [LibraryImport(LibSsl)]
    public static partial void SSL_CTX_sess_set_get_cb(nint ctx, delegate* unmanaged<nint, byte*, int, int*, nint> callback);

    [LibraryImport(LibSsl)]
    public static partial void SSL_CTX_sess_set_remove_cb(nint ctx, delegate* unmanaged<nint, nint, void> callback);

    [LibraryImport(LibSsl)]
    public static partial int i2d_SSL_SESSION(nint session, byte** output);

    [LibraryImport(LibSsl)]
    public static partial nint d2i_SSL_SESSION(nint* session, byte** input, long length);

    [LibraryImport(LibSsl)]
    public static partial long SSL_SESSION_get_time(nint session);

    [LibraryImport(LibSsl)]
    public static partial long SSL_SESSION_get_timeout(nint session);

    [LibraryImport(LibSsl)]
    public static partial int SSL_CTX_set_session_id_context(nint ctx, byte* context, uint length);
}
