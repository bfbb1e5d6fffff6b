using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;

namespace Pluma.Modules.Ssl;

/// <summary>
/// mod_ssl builds one SSL_CTX per server at start-up (ssl_init_ctx) and sets on it the cipher
/// lists (ssl_init_ctx_cipher_suite), the session cache and its timeout
/// (ssl_init_ctx_session_cache: SSLSessionCache, SSLSessionCacheTimeout) and tickets
/// (SSLSessionTickets). SslStream has options for none of these but the cipher lists, and with
/// cipher lists it builds a fresh context for every handshake (no resumption, and the context's
/// cost paid per handshake). So, once per process, each server's context is made the way .NET
/// caches it (no cipher policy, resumption allowed), fetched through one warm-up handshake over
/// a socket pair, and given mod_ssl's settings before any client is served; the warm-up
/// connection stays open so that .NET's cache keeps that very context. Servers that .NET would
/// put in one context (same certificates and protocols) but whose settings differ, and every
/// server when libssl cannot be reached, keep SslStream's per-handshake context with no
/// resumption: nothing is served with another server's settings.
/// </summary>
internal static class SslContextTuning
{
    /// <summary>OpenSSL's own default number of sessions a context caches (SSL_SESSION_CACHE_MAX_SIZE_DEFAULT).</summary>
    private const long OpenSslCacheSize = 20 * 1024;

    /// <summary>Whether contexts can be tuned at all (libssl and SslStream's SSL object are reachable).</summary>
    public static bool Supported => SslHandle.Available;

    /// <summary>Tunes the context of every site it can (see the class); the others stay on per-handshake contexts.</summary>
    public static void Apply(IReadOnlyList<SslSite> sites, string? sessionCache)
    {
        if (!Supported)
        {
            return;
        }

        var groups = new Dictionary<string, (Settings Settings, SslSite First)>(StringComparer.Ordinal);
        foreach (SslSite site in sites)
        {
            Settings settings = Settings.Of(site.Config, sessionCache);
            string key = CacheKey(site);
            if (groups.TryGetValue(key, out var group))
            {
                // .NET hands this site the same context: usable only with the same settings.
                if (group.Settings == settings && group.First.Context != 0)
                {
                    site.UseContext(group.First.Context, site.BuildOptions(cached: true), holder: null);
                    site.Config.TunedResumes = settings.Cache || settings.Tickets;
                }

                continue;
            }

            groups[key] = (settings, site);
            SslServerAuthenticationOptions options = site.BuildOptions(cached: true);
            if (WarmUp(options) is ({ } holder, var context) && Configure(context, settings, settings.Cache && SslSharedSessions.Open(sessionCache) ? site.VhostId + "|" + key : null))
            {
                site.UseContext(context, options, holder);
                site.Config.TunedResumes = settings.Cache || settings.Tickets;
            }
        }
    }

    /// <summary>What .NET keys its server contexts by: the certificate chain's hashes and the protocols (Interop.OpenSsl's SslContextCacheKey).</summary>
    private static string CacheKey(SslSite site)
    {
        var key = new System.Text.StringBuilder();
        key.Append(site.Credentials.Context.TargetCertificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA512));
        foreach (X509Certificate2 c in site.Credentials.Context.IntermediateCertificates)
        {
            key.Append(',').Append(c.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA512));
        }

        return key.Append('|').Append(((int)site.BuildOptions(cached: true).EnabledSslProtocols).ToString(CultureInfo.InvariantCulture)).ToString();
    }

    /// <summary>
    /// One handshake with <paramref name="options"/> over a local socket pair, so that SslStream
    /// creates (and caches) the server's context; returns the open connection that keeps it and the context.
    /// </summary>
    private static (IDisposable? Holder, nint Context) WarmUp(SslServerAuthenticationOptions options)
    {
        // The client of this handshake sends no certificate: the check of one is not part of the context's key.
        var serverOptions = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = options.ServerCertificateContext,
            EnabledSslProtocols = options.EnabledSslProtocols,
            CipherSuitesPolicy = options.CipherSuitesPolicy,
            ApplicationProtocols = options.ApplicationProtocols,
            AllowRenegotiation = false,
            AllowTlsResume = options.AllowTlsResume,
        };
        SocketPair? pair = null;
        SslStream? server = null;
        SslStream? client = null;
        try
        {
            pair = SocketPair.Open();
            server = new SslStream(new NetworkStream(pair.Server, ownsSocket: true));
            client = new SslStream(new NetworkStream(pair.Client, ownsSocket: true));
            Task s = server.AuthenticateAsServerAsync(serverOptions);
            Task c = client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ApplicationProtocols = [SslApplicationProtocol.Http11],
                // The one certificate this handshake may see is the server's own.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && certificate.GetCertHashString() == options.ServerCertificateContext!.TargetCertificate.GetCertHashString(),
            });
            if (!Task.WaitAll([s, c], TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException("the warm-up handshake did not end");
            }

            nint context = SslHandle.With(server, OpenSslNative.SSL_get_SSL_CTX, (nint)0);
            if (context == 0)
            {
                throw new InvalidOperationException("no SSL context");
            }

            var holder = new Holder(server, client);
            server = client = null;
            return (holder, context);
        }
        catch (Exception e) when (e is AggregateException or IOException or SocketException or System.Security.Authentication.AuthenticationException or TimeoutException or InvalidOperationException)
        {
            return (null, 0);
        }
        finally
        {
            server?.Dispose();
            client?.Dispose();
            if (server is not null || client is not null)
            {
                pair?.Dispose();
            }
        }
    }

    /// <summary>
    /// ssl_init_ctx_cipher_suite and ssl_init_ctx_session_cache on the context, before any client
    /// uses it; with <paramref name="sharedAs"/> its sessions live in the store every child shares.
    /// </summary>
    private static bool Configure(nint ctx, Settings s, string? sharedAs)
    {
        if (s.CipherString is { } list && OpenSslNative.SSL_CTX_set_cipher_list(ctx, list) != 1)
        {
            return false;
        }

        if (s.Ciphersuites is { } suites && OpenSslNative.SSL_CTX_set_ciphersuites(ctx, suites) != 1)
        {
            return false;
        }

        OpenSslNative.SSL_CTX_ctrl(ctx, OpenSslNative.SslCtrlSetSessCacheMode, s.Cache ? OpenSslNative.SslSessCacheServer : OpenSslNative.SslSessCacheOff, 0);
        OpenSslNative.SSL_CTX_ctrl(ctx, OpenSslNative.SslCtrlSetSessCacheSize, s.CacheSessions, 0);
        OpenSslNative.SSL_CTX_set_timeout(ctx, s.Timeout);
        if (sharedAs is not null)
        {
            SslSharedSessions.Attach(ctx, sharedAs);
        }

        if (s.Tickets)
        {
            OpenSslNative.SSL_CTX_clear_options(ctx, OpenSslNative.SslOpNoTicket);
        }
        else
        {
            OpenSslNative.SSL_CTX_set_options(ctx, OpenSslNative.SslOpNoTicket);
        }

        return true;
    }

    /// <summary>The context settings of one server, as mod_ssl derives them from its record.</summary>
    private readonly record struct Settings(string? CipherString, string? Ciphersuites, bool Cache, long CacheSessions, long Timeout, bool Tickets)
    {
        public static Settings Of(SslServerConfig c, string? sessionCache)
        {
            // SSLSessionCache none (or not said): SSL_SESS_CACHE_OFF; any store: the server's cache,
            // here OpenSSL's own inside the child, as many sessions as the store's bytes hold at
            // about 1 KiB each (shmcb's 512000 in Debian's ssl.conf: 500 sessions), at most OpenSSL's default.
            bool cache = sessionCache is { } sc && !sc.StartsWith("none", StringComparison.OrdinalIgnoreCase) && !sc.StartsWith("nonenotnull", StringComparison.OrdinalIgnoreCase);
            long sessions = OpenSslCacheSize;
            if (sessionCache is { } named && named.EndsWith(')') && named.LastIndexOf('(') is int open and >= 0
                && long.TryParse(named.AsSpan(open + 1, named.Length - open - 2), NumberStyles.None, CultureInfo.InvariantCulture, out long bytes))
            {
                sessions = Math.Clamp(bytes / 1024, 1, OpenSslCacheSize);
            }

            // SSLSessionCacheTimeout: 300 unless said (SSL_SESSION_CACHE_TIMEOUT); SSLSessionTickets: on unless said.
            long timeout = c.SessionCacheTimeout is { } t && long.TryParse(t.Value, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) ? seconds : 300;
            return new Settings(c.EffectiveCipherString, c.EffectiveCiphersuites, cache, sessions, timeout, c.SessionTickets != false);
        }
    }

    /// <summary>The warm-up connection, kept open for the life of the process.</summary>
    private sealed class Holder(SslStream server, SslStream client) : IDisposable
    {
        public void Dispose()
        {
            server.Dispose();
            client.Dispose();
        }
    }

    /// <summary>Two connected stream sockets in the abstract Unix namespace (no file, nothing on the network).</summary>
    private sealed class SocketPair : IDisposable
    {
        private SocketPair(Socket server, Socket client)
        {
            Server = server;
            Client = client;
        }

        public Socket Server { get; }

        public Socket Client { get; }

        public static SocketPair Open()
        {
            var endpoint = new UnixDomainSocketEndPoint("\0pluma-ssl-warmup-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N"));
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(endpoint);
            listener.Listen(1);
            var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                client.Connect(endpoint);
                return new SocketPair(listener.Accept(), client);
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            Server.Dispose();
            Client.Dispose();
        }
    }
}
