using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Pluma.Modules.Ssl;

/// <summary>
/// mod_ssl's session cache callbacks (ssl_callback_NewSessionCacheEntry,
/// ssl_callback_GetSessionCacheEntry, ssl_callback_DelSessionCacheEntry) over the shared
/// <see cref="SslSessionStore"/>: a context given them keeps no session of its own
/// (SSL_SESS_CACHE_SERVER | SSL_SESS_CACHE_NO_INTERNAL, as ssl_init_ctx_session_cache sets it),
/// so a session made by one child resumes in any other. Each server's sessions are kept under
/// its own tag, and its context gets a session id context, both hashes of its id that every
/// child computes alike (as mod_ssl's session id context keeps one server's sessions from
/// resuming on another).
/// </summary>
internal static unsafe class SslSharedSessions
{
    private static readonly Dictionary<nint, uint> s_tags = [];
    private static SslSessionStore? s_store;

    /// <summary>Bytes of the shared store this process uses; 0 when there is none.</summary>
    public static long StoreBytes => s_store?.Bytes ?? 0;

    /// <summary>Sessions the shared store holds at most.</summary>
    public static int StoreSessions => s_store?.Capacity ?? 0;

    /// <summary>Opens the store SSLSessionCache names, once per process; false when there is none to share.</summary>
    public static bool Open(string? sessionCache)
    {
        s_store ??= SslSessionStore.Open(sessionCache);
        return s_store is not null;
    }

    /// <summary>Sessions of <paramref name="ctx"/> go to the shared store under <paramref name="serverId"/>'s tag.</summary>
    public static void Attach(nint ctx, string serverId)
    {
        uint tag = 2166136261;
        foreach (char c in serverId)
        {
            tag = (tag ^ c) * 16777619;
        }

        // The session id context every child gives this server's sessions alike (ssl_init_ctx sets
        // the MD5 of the server's id): SslStream's own differs from one process to the next, and
        // OpenSSL resumes only a session of the same context.
        byte* context = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(serverId), new Span<byte>(context, 32));
        if (OpenSslNative.SSL_CTX_set_session_id_context(ctx, context, 32) != 1)
        {
            // Without it no other child could resume these sessions: keep the context's own cache.
            return;
        }

        lock (s_tags)
        {
            s_tags[ctx] = tag;
        }

        OpenSslNative.SSL_CTX_ctrl(ctx, OpenSslNative.SslCtrlSetSessCacheMode, OpenSslNative.SslSessCacheServer | OpenSslNative.SslSessCacheNoInternal, 0);
        OpenSslNative.SSL_CTX_sess_set_new_cb(ctx, &NewSession);
        OpenSslNative.SSL_CTX_sess_set_get_cb(ctx, &GetSession);
        OpenSslNative.SSL_CTX_sess_set_remove_cb(ctx, &RemoveSession);
    }

    /// <summary>The store key: the server's tag, then the session id.</summary>
    private static int Key(nint ctx, byte* id, int idLength, Span<byte> key)
    {
        uint tag;
        lock (s_tags)
        {
            if (!s_tags.TryGetValue(ctx, out tag))
            {
                return 0;
            }
        }

        if (idLength <= 0 || idLength > key.Length - 4)
        {
            return 0;
        }

        Unsafe.WriteUnaligned(ref key[0], tag);
        new ReadOnlySpan<byte>(id, idLength).CopyTo(key[4..]);
        return 4 + idLength;
    }

    [UnmanagedCallersOnly]
    private static int NewSession(nint ssl, nint session)
    {
        try
        {
            Span<byte> key = stackalloc byte[4 + 32];
            byte* id = OpenSslNative.SSL_SESSION_get_id(session, out uint idLength);
            int k = Key(OpenSslNative.SSL_get_SSL_CTX(ssl), id, (int)idLength, key);
            int length = k == 0 ? 0 : OpenSslNative.i2d_SSL_SESSION(session, null);
            if (length > 0 && length <= SslSessionStore.DerMax)
            {
                byte* der = stackalloc byte[length];
                byte* p = der;
                if (OpenSslNative.i2d_SSL_SESSION(session, &p) == length)
                {
                    long expires = OpenSslNative.SSL_SESSION_get_time(session) + OpenSslNative.SSL_SESSION_get_timeout(session);
                    s_store?.Store(key[..k], new ReadOnlySpan<byte>(der, length), expires);
                }
            }
        }
        catch (Exception)
        {
            // A session that cannot be kept is a later cache miss, never a failed handshake.
        }

        // The store keeps a copy: OpenSSL keeps no extra reference for it.
        return 0;
    }

    [UnmanagedCallersOnly]
    private static nint GetSession(nint ssl, byte* id, int idLength, int* copy)
    {
        *copy = 0;
        try
        {
            Span<byte> key = stackalloc byte[4 + 32];
            int k = Key(OpenSslNative.SSL_get_SSL_CTX(ssl), id, idLength, key);
            if (k == 0 || s_store is not { } store)
            {
                return 0;
            }

            byte* der = stackalloc byte[SslSessionStore.DerMax];
            int n = store.Fetch(key[..k], new Span<byte>(der, SslSessionStore.DerMax));
            if (n == 0)
            {
                return 0;
            }

            byte* p = der;
            return OpenSslNative.d2i_SSL_SESSION(null, &p, n);
        }
        catch (Exception)
        {
            return 0;
        }
    }

    [UnmanagedCallersOnly]
    private static void RemoveSession(nint ctx, nint session)
    {
        try
        {
            Span<byte> key = stackalloc byte[4 + 32];
            byte* id = OpenSslNative.SSL_SESSION_get_id(session, out uint idLength);
            int k = Key(ctx, id, (int)idLength, key);
            if (k > 0)
            {
                s_store?.Remove(key[..k]);
            }
        }
        catch (Exception)
        {
            // Nothing to undo: the session simply stays until it expires.
        }
    }
}
