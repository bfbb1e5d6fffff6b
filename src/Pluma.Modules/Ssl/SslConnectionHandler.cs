using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using Pluma.Connections;
using Pluma.Connections.Diagnostics;
using Pluma.Http;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Ssl;

/// <summary>
/// mod_ssl's connection half (ssl_hook_pre_connection and its I/O filters) in front of the HTTP
/// engine: on a connection whose address's default server has SSLEngine on, it collects the
/// ClientHello without a worker (WaitForInput, so the event MPM parks a slow or silent client),
/// runs the handshake on the worker, choosing the server and certificate by SNI, then lets the
/// unchanged HTTP/1.1 engine serve a <see cref="TlsConnection"/>. Plain HTTP on the port gets
/// Apache's 400 page. Other connections go straight to the HTTP engine.
/// </summary>
public sealed class SslConnectionHandler : IConnectionHandler
{
    private readonly HttpConnectionHandler _http;
    private readonly VirtualHostTable _hosts;
    private readonly Dictionary<VirtualServer, SslSite> _sites;
    private readonly long _handshakeMs;

    /// <summary>
    /// How long a worker waits, after a handshake the client's flight ended, for the first request
    /// before the connection is parked: a client's next send, not a round trip.
    /// </summary>
    internal static readonly TimeSpan FirstRequestWait = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// How long a worker waits, after a flight of the handshake, for the client's answer before the
    /// connection is parked with the handshake half done: on a near network the answer comes
    /// within a client's computation (well under a millisecond), and a stalled or far client
    /// holds no event worker for longer than this.
    /// </summary>
    internal static readonly TimeSpan FlightWait = TimeSpan.FromMilliseconds(10);

    public SslConnectionHandler(HttpConnectionHandler http, ServerRuntime runtime, IReadOnlyList<SslSite> sites, TimeSpan handshakeTimeout)
    {
        _http = http;
        _hosts = new VirtualHostTable(runtime.MainServer, runtime.VirtualHosts);
        _sites = [];
        foreach (SslSite s in sites)
        {
            _sites[s.Server] = s;
        }

        _handshakeMs = (long)handshakeTimeout.TotalMilliseconds;
    }

    /// <inheritdoc/>
    public ConnectionStep Serve(Connection connection)
    {
        if (connection.ProtocolState is TlsState state)
        {
            return state.Tls is not null ? ServeHttp(connection, state)
                : state.Handshake is { } hs ? ResumeHandshake(connection, state, hs)
                : ContinueHandshake(connection, state);
        }

        if (connection.ProtocolState is null && _sites.GetValueOrDefault(_hosts.Select(connection.LocalEndPoint, null)) is { } site)
        {
            state = new TlsState(site, Environment.TickCount64 + _handshakeMs);
            connection.ProtocolState = state;
            return ContinueHandshake(connection, state);
        }

        return _http.Serve(connection);
    }

    /// <summary>Collects the ClientHello record (parking the connection meanwhile), then shakes hands.</summary>
    private ConnectionStep ContinueHandshake(Connection connection, TlsState state)
    {
        byte[] hello = state.RentHello();
        while (true)
        {
            int have = state.HelloCount;
            if (have > 0 && hello[0] != 0x16)
            {
                return NotTls(connection, state);
            }

            if (have >= 5)
            {
                int need = 5 + ((hello[3] << 8) | hello[4]);
                if (need > hello.Length)
                {
                    return ConnectionStep.Close;
                }

                if (have >= need)
                {
                    return Handshake(connection, state);
                }
            }

            TimeSpan left = TimeSpan.FromMilliseconds(Math.Max(1, state.Deadline - Environment.TickCount64));
            int n;
            try
            {
                n = connection.ReceiveIfReady(hello.AsSpan(have), left);
                if (n < 0 && connection.IsDraining)
                {
                    n = connection.Receive(hello.AsSpan(have), left);
                }
            }
            catch (Exception e) when (e is ConnectionResetException or ConnectionTimeoutException)
            {
                return ConnectionStep.Close;
            }

            if (n == 0)
            {
                return ConnectionStep.Close;
            }

            if (n < 0)
            {
                if (Environment.TickCount64 >= state.Deadline)
                {
                    LogInfo(state.Site, connection, "AH01383: Request handshake read timeout");
                    return ConnectionStep.Close;
                }

                connection.InputDeadline = state.Deadline;
                return ConnectionStep.WaitForInput;
            }

            state.HelloCount += n;
        }
    }

    /// <summary>The first bytes are no TLS record: plain HTTP gets Apache's 400 page, anything else is closed.</summary>
    private ConnectionStep NotTls(Connection connection, TlsState state)
    {
        ReadOnlySpan<byte> b = state.Hello.AsSpan(0, state.HelloCount);
        // OpenSSL's check (ssl3_get_record, SSL_R_HTTP_REQUEST): the request methods it knows.
        if (b.Length < 5 && Environment.TickCount64 < state.Deadline && "POST "u8.StartsWith(b))
        {
            connection.InputDeadline = state.Deadline;
            return ConnectionStep.WaitForInput;
        }

        bool http = b.StartsWith("GET "u8) || b.StartsWith("POST "u8) || b.StartsWith("HEAD "u8) || b.StartsWith("PUT "u8);
        if (!http)
        {
            LogInfo(state.Site, connection, "AH02008: SSL library error 1 in handshake (server " + state.Site.VhostId + ")");
            return ConnectionStep.Close;
        }

        LogInfo(state.Site, connection, "AH01996: SSL handshake failed: HTTP spoken on HTTPS port; trying to send HTML error page");
        var plain = new PlainHttpConnection(connection)
        {
            Id = connection.Id,
            RemoteEndPoint = connection.RemoteEndPoint,
            LocalEndPoint = connection.LocalEndPoint,
            Status = connection.Status,
        };
        _ = _http.Serve(plain);
        return ConnectionStep.Close;
    }

    private ConnectionStep Handshake(Connection connection, TlsState state)
    {
        var stream = new ConnectionStream(connection) { Timeout = TimeSpan.FromMilliseconds(Math.Max(1, state.Deadline - Environment.TickCount64)) };
        stream.SetPrefix(state.Hello!, state.HelloCount);
        state.ForgetHello();
        var ssl = new SslStream(stream, leaveInnerStreamOpen: true);
        var choice = new HandshakeChoice(this, state.Site, connection.LocalEndPoint);

        // Each flight leaves when the handshake reads the client's answer; what is written after
        // the last read (TLS 1.3's session tickets) may wait for the first response.
        stream.HoldOutput = true;
        stream.SuspendAfter = FlightWait;
        Task task;
        try
        {
            // Runs on this thread up to its end, or to a read of the client's flight that did not
            // come within FlightWait (then the task waits for ResumeHandshake, with no worker).
            task = ssl.AuthenticateAsServerAsync(SelectOptions, choice, CancellationToken.None);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or InvalidOperationException)
        {
            task = Task.FromException(e);
        }

        var hs = new HandshakeInProgress(ssl, stream, choice, task);
        if (!task.IsCompleted)
        {
            state.Handshake = hs;
            return ResumeHandshake(connection, state, hs, justPolled: true);
        }

        return FinishHandshake(connection, state, hs);
    }

    /// <summary>
    /// The handshake waits for the client's next flight: it goes on with what has come, else the
    /// connection is parked with no worker until it is readable or the handshake's deadline has
    /// passed (a stopping child's worker waits on its thread instead, as for a request head).
    /// </summary>
    private ConnectionStep ResumeHandshake(Connection connection, TlsState state, HandshakeInProgress hs, bool justPolled = false)
    {
        while (!hs.Task.IsCompleted)
        {
            if (!hs.Stream.IsSuspended)
            {
                // Not waiting on our read, so not on the client: nothing here can move it on.
                hs.Stream.FailRead(new ConnectionResetException("handshake stalled"));
                break;
            }

            // Just after the stream's own poll found nothing, a read would find nothing too.
            if (!justPolled && hs.Stream.ResumeRead())
            {
                continue;
            }

            justPolled = false;

            long left = state.Deadline - Environment.TickCount64;
            if (left <= 0)
            {
                hs.Stream.FailRead(new ConnectionTimeoutException("recv: timed out"));
                break;
            }

            if (!connection.IsDraining)
            {
                connection.InputDeadline = state.Deadline;
                return ConnectionStep.WaitForInput;
            }

            connection.WaitForReadable(TimeSpan.FromMilliseconds(left));
        }

        state.Handshake = null;
        return FinishHandshake(connection, state, hs);
    }

    private ConnectionStep FinishHandshake(Connection connection, TlsState state, HandshakeInProgress hs)
    {
        SslStream ssl = hs.Ssl;
        ConnectionStream stream = hs.Stream;
        var choice = (HandshakeChoice)hs.Choice;
        stream.SuspendAfter = null;
        try
        {
            if (!hs.Task.IsCompleted)
            {
                throw new InvalidOperationException("the handshake did not end");
            }

            hs.Task.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is AuthenticationException or IOException or ConnectionResetException or ConnectionTimeoutException or InvalidOperationException)
        {
            LogInfo(choice.Site, connection, "AH02008: SSL library error 1 in handshake (server " + choice.Site.VhostId + ")\nSSL Library Error: " + (e.InnerException?.Message ?? e.Message));
            SendAlert(stream);
            ssl.Dispose();
            stream.ReleaseRaw();

            return ConnectionStep.Close;
        }

        // A tuned server's handshakes must have run on its tuned context (the one holding its
        // cipher lists and session settings); any other is refused rather than served.
        if (choice.Site.Context != 0 && SslHandle.With(ssl, OpenSslNative.SSL_get_SSL_CTX, (nint)0) != choice.Site.Context)
        {
            choice.Site.Server.ErrorLog.Write(LogLevel.Error, "ssl", "PL00306: the handshake for " + choice.Site.VhostId
                + " ran on another OpenSSL context than the one given mod_ssl's settings at start; the connection is closed rather than served with other settings",
                connection.RemoteEndPoint.Address + ":" + connection.RemoteEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            ssl.Dispose();
            stream.ReleaseRaw();

            return ConnectionStep.Close;
        }

        stream.Timeout = _http.Options.Timeout;

        // Whose flight ended the handshake: the client's (TLS 1.3, or a resumed TLS 1.2 handshake,
        // where nothing of ours is left to send) means its first request follows at once.
        bool clientSpokeLast = ssl.SslProtocol == SslProtocols.Tls13 || !stream.HasHeldOutput;
        if (ssl.SslProtocol != SslProtocols.Tls13 || ssl.NegotiatedApplicationProtocol == SslApplicationProtocol.Http2)
        {
            // Before TLS 1.3 the server's last flight (a full handshake's Finished) is what the
            // client waits for before its request; HTTP/2 writes from several threads, unheld.
            stream.HoldOutput = ssl.NegotiatedApplicationProtocol != SslApplicationProtocol.Http2;
            try
            {
                stream.SendHeld();
            }
            catch (Exception e) when (e is ConnectionResetException or ConnectionTimeoutException)
            {
                ssl.Dispose();
                stream.ReleaseRaw();
                return ConnectionStep.Close;
            }
        }

        if (clientSpokeLast && !stream.HasRawInput)
        {
            // A client writes its request right behind its Finished, but often in a second send
            // that is not in yet when the handshake ends. Parking for it would cost a wake-up of
            // the MPM's listener and a hand-off to a worker, per connection; a short poll here
            // usually sees it come. A client still silent after FirstRequestWait is parked as
            // before, without a worker.
            connection.WaitForReadable(FirstRequestWait);
        }

        state.Tls = new TlsConnection(connection, ssl, stream, new VirtualServerChoice(choice.Site.Server, choice.ServerName), choice.Site)
        {
            Id = connection.Id,
            RemoteEndPoint = connection.RemoteEndPoint,
            LocalEndPoint = connection.LocalEndPoint,
        };
        return ServeHttp(connection, state);
    }

    /// <summary>SNI chooses the server (ssl_find_vhost): a name-based server of the address with SSLEngine on, else the address's default.</summary>
    private static ValueTask<SslServerAuthenticationOptions> SelectOptions(SslStream stream, SslClientHelloInfo hello, object? state, CancellationToken token)
    {
        var choice = (HandshakeChoice)state!;
        string? name = string.IsNullOrEmpty(hello.ServerName) ? null : hello.ServerName;
        choice.ServerName = name;
        if (name is not null)
        {
            VirtualServer s = choice.Handler._hosts.Select(choice.Local, name, out bool named);
            if (named && choice.Handler._sites.GetValueOrDefault(s) is { } site)
            {
                choice.Site = site;
            }
        }

        return ValueTask.FromResult(choice.Site.Options);
    }

    /// <summary>The HTTP engine on the decrypted stream; before an idle wait, input SslStream already holds is served first.</summary>
    private ConnectionStep ServeHttp(Connection connection, TlsState state)
    {
        TlsConnection tls = state.Tls!;
        while (true)
        {
            tls.Status = connection.Status;
            tls.RequestCount = connection.RequestCount;
            tls.DrainRequested = connection.DrainRequested;
            tls.Workers = connection.Workers;
            ConnectionStep step = _http.Serve(tls);
            connection.RequestCount = tls.RequestCount;
            connection.KeepAliveTimeout = tls.KeepAliveTimeout;
            connection.InputDeadline = tls.InputDeadline;
            tls.Status = NullWorkerStatus.Instance;
            if (step == ConnectionStep.WaitForNextRequest)
            {
                bool ahead;
                try
                {
                    ahead = tls.ReadAhead();
                }
                catch (Exception e) when (e is ConnectionResetException or ConnectionTimeoutException)
                {
                    return ConnectionStep.Close;
                }

                if (ahead)
                {
                    continue;
                }
            }

            if (step == ConnectionStep.Close)
            {
                tls.SendCloseNotify();
                return step;
            }

            // The response (and a pipelined one's) leaves now that the connection waits.
            try
            {
                tls.SendHeldOutput();
            }
            catch (Exception e) when (e is ConnectionResetException or ConnectionTimeoutException)
            {
                return ConnectionStep.Close;
            }

            return step;
        }
    }

    /// <summary>The alert a failed handshake wrote, if the client still takes it.</summary>
    private static void SendAlert(ConnectionStream stream)
    {
        try
        {
            stream.SendHeld();
        }
        catch (Exception e) when (e is ConnectionResetException or ConnectionTimeoutException)
        {
            // The client is gone.
        }
        finally
        {
            stream.ReleaseHeld();
        }
    }

    private void LogInfo(SslSite site, Connection connection, string message)
    {
        IErrorLog log = site.Server.ErrorLog;
        if (log.IsEnabled(LogLevel.Info, "ssl"))
        {
            log.Write(LogLevel.Info, "ssl", message, connection.RemoteEndPoint.Address + ":" + connection.RemoteEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The handshake's state for the SNI callback: where it starts and what it chose.</summary>
    private sealed class HandshakeChoice(SslConnectionHandler handler, SslSite site, IPEndPoint local)
    {
        public SslConnectionHandler Handler { get; } = handler;

        public IPEndPoint Local { get; } = local;

        public SslSite Site { get; set; } = site;

        public string? ServerName { get; set; }
    }
}
