using System.Globalization;
using System.Net;
using Pluma.Connections;
using Pluma.Connections.Diagnostics;

namespace Pluma.Modules.RemoteIp;

/// <summary>
/// mod_remoteip's connection half (remoteip_hook_pre_connection and its input filter): on an
/// address where RemoteIPProxyProtocol is on, and from a peer not in
/// RemoteIPProxyProtocolExceptions, the PROXY header is read first, before TLS and HTTP, without
/// a worker while it has not all arrived. A connection whose first bytes are no valid header is
/// closed (with Apache's AH line when it looked like one); otherwise the protocol handler below
/// serves a <see cref="ProxiedConnection"/> that names the header's client.
/// </summary>
public sealed class ProxyProtocolConnectionHandler : IConnectionHandler
{
    private readonly IConnectionHandler _inner;
    private readonly ProxyProtocolPolicy _policy;
    private readonly IErrorLog _log;
    private readonly long _timeoutMs;

    public ProxyProtocolConnectionHandler(IConnectionHandler inner, ProxyProtocolPolicy policy, IErrorLog log, TimeSpan timeout)
    {
        _inner = inner;
        _policy = policy;
        _log = log;
        _timeoutMs = (long)timeout.TotalMilliseconds;
    }

    /// <inheritdoc/>
    public ConnectionStep Serve(Connection connection)
    {
        if (connection.ProtocolState is ProxyProtocolState state)
        {
            return state.Proxied is not null ? ServeProxied(connection, state) : ContinueHeader(connection, state);
        }

        if (connection.ProtocolState is null && connection.RequestCount == 0 && _policy.AppliesTo(connection.LocalEndPoint, connection.RemoteEndPoint))
        {
            if (_log.IsEnabled(LogLevel.Debug, "remoteip"))
            {
                _log.Write(LogLevel.Debug, "remoteip", "AH03503: RemoteIPProxyProtocol: enabled on connection to " + Text(connection.LocalEndPoint), Text(connection.RemoteEndPoint));
            }

            state = new ProxyProtocolState(Environment.TickCount64 + _timeoutMs);
            connection.ProtocolState = state;
            return ContinueHeader(connection, state);
        }

        return _inner.Serve(connection);
    }

    private ConnectionStep ContinueHeader(Connection connection, ProxyProtocolState state)
    {
        byte[] buffer = state.RentHeader();
        while (true)
        {
            ProxyHeaderStatus status = ProxyProtocolHeader.Parse(buffer.AsSpan(0, state.Count), out int length, out IPEndPoint? client, out string? error);
            if (status == ProxyHeaderStatus.Done)
            {
                client ??= connection.RemoteEndPoint;
                if (_log.IsEnabled(LogLevel.Debug, "remoteip"))
                {
                    _log.Write(LogLevel.Debug, "remoteip", "AH03511: RemoteIPProxyProtocol: received valid PROXY header: " + Text(client), Text(connection.RemoteEndPoint));
                }

                state.Proxied = new ProxiedConnection(connection, buffer, length, state.Count)
                {
                    Id = connection.Id,
                    RemoteEndPoint = client,
                    PeerEndPoint = connection.RemoteEndPoint,
                    LocalEndPoint = connection.LocalEndPoint,
                };
                state.ReturnHeader();
                return ServeProxied(connection, state);
            }

            if (status == ProxyHeaderStatus.Error)
            {
                if (error is not null)
                {
                    _log.Write(LogLevel.Error, "remoteip", error, Text(connection.RemoteEndPoint));
                }

                return ConnectionStep.Close;
            }

            if (state.Count == buffer.Length)
            {
                return ConnectionStep.Close;
            }

            TimeSpan left = TimeSpan.FromMilliseconds(Math.Max(1, state.Deadline - Environment.TickCount64));
            int n;
            try
            {
                n = connection.ReceiveIfReady(buffer.AsSpan(state.Count, Math.Min(buffer.Length, ProxyProtocolHeader.MaxLength) - state.Count), left);
                if (n < 0 && connection.IsDraining)
                {
                    n = connection.Receive(buffer.AsSpan(state.Count, ProxyProtocolHeader.MaxLength - state.Count), left);
                }
            }
            catch (ConnectionResetException)
            {
                return ConnectionStep.Close;
            }
            catch (ConnectionTimeoutException)
            {
                n = -1;
            }

            if (n == 0)
            {
                if (state.Count > 0)
                {
                    _log.Write(LogLevel.Error, "remoteip", "AH10634: RemoteIPProxyProtocol: connection closed before a complete header was received", Text(connection.RemoteEndPoint));
                }

                return ConnectionStep.Close;
            }

            if (n < 0)
            {
                if (Environment.TickCount64 >= state.Deadline)
                {
                    return ConnectionStep.Close;
                }

                connection.InputDeadline = state.Deadline;
                return ConnectionStep.WaitForInput;
            }

            state.Count += n;
        }
    }

    /// <summary>The protocol below (TLS, then HTTP) on the proxied connection; its progress is copied to the MPM's connection.</summary>
    private ConnectionStep ServeProxied(Connection connection, ProxyProtocolState state)
    {
        ProxiedConnection proxied = state.Proxied!;
        proxied.Status = connection.Status;
        proxied.RequestCount = connection.RequestCount;
        proxied.DrainRequested = connection.DrainRequested;
        proxied.Workers = connection.Workers;
        ConnectionStep step = _inner.Serve(proxied);
        connection.RequestCount = proxied.RequestCount;
        connection.KeepAliveTimeout = proxied.KeepAliveTimeout;
        connection.InputDeadline = proxied.InputDeadline;
        proxied.Status = NullWorkerStatus.Instance;
        return step;
    }

    private static string Text(IPEndPoint e) => e.Address + ":" + e.Port.ToString(CultureInfo.InvariantCulture);
}
