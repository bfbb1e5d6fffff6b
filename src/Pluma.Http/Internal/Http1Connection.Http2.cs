using Pluma.Connections;
using Pluma.Http.Http2;

namespace Pluma.Http.Internal;

/// <summary>
/// Handing a connection to the HTTP/2 engine: after the h2c preface (prior knowledge), or when
/// TLS chose "h2" by ALPN. The connection is HTTP/2 from then on; each stream comes back to this
/// handler as an HTTP/1.1 request on its own <see cref="Connection"/>. An idle HTTP/2 connection
/// waits with no thread (the handler returns WaitForInput with the session as the connection's
/// <see cref="Connection.ProtocolState"/>, and <see cref="ResumeHttp2"/> goes on with it), as
/// Apache's event MPM keeps an idle h2 connection in its keep-alive set.
/// </summary>
internal sealed partial class Http1Connection
{
    private Http2Connection? _parkedHttp2;

    /// <summary>True when the new HTTP/2 connection parked (see <see cref="TakeParkedHttp2"/>).</summary>
    private bool ServeHttp2(Connection connection, ReadOnlySpan<byte> received)
    {
        Http2Options options = _options.Http2 ?? new Http2Options();
        connection.Status.SetState(WorkerState.BusyRead);
        var session = new Http2Connection(connection, Handler, options, _options.Timeout, _options.KeepAliveTimeout, _errorLog, _scoreboardHost);
        if (session.Run(received))
        {
            _parkedHttp2 = session;
            return true;
        }

        return false;
    }

    /// <summary>
    /// server-status's record of the request (ap_update_child_status): its line as the client's
    /// protocol has it (an HTTP/2 stream's "GET /x HTTP/2.0", as Apache's r->the_request, where
    /// the engine read "HTTP/1.1"), and the connection's protocol ("http/1.1", "h2", "h2c").
    /// </summary>
    private void ReportRequestStarted(Connection connection)
    {
        ReadOnlySpan<byte> line = RequestLineBytes;
        if (connection.RequestProtocol is not { } protocol || !line.EndsWith(" HTTP/1.1"u8))
        {
            connection.Status.RequestStarted(line, _scoreboardHost, connection.ProtocolName);
            return;
        }

        byte[] rewritten = System.Buffers.ArrayPool<byte>.Shared.Rent(line.Length - 8 + protocol.Length);
        try
        {
            line[..^8].CopyTo(rewritten);
            int n = line.Length - 8 + System.Text.Encoding.ASCII.GetBytes(protocol, rewritten.AsSpan(line.Length - 8));
            connection.Status.RequestStarted(rewritten.AsSpan(0, n), _scoreboardHost, connection.ProtocolName);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rewritten);
        }
    }

    /// <summary>
    /// RFC 7540 3.2 as mod_http2 answers it (h2_switch.c): 101 with Upgrade: h2c; the request is
    /// logged as such, then served again as stream 1 of the HTTP/2 connection that follows.
    /// </summary>
    private void SendSwitchingProtocols()
    {
        Response.StatusCode = 101;
        _response.KeepAlive = true;
        _transport!.Send("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n"u8, _options.Timeout);
    }

    /// <summary>The connection after the 101: HTTP/2, with this request's head as stream 1 (half-closed: it had no body).</summary>
    private bool UpgradeToHttp2(Connection connection, Http2Options options)
    {
        int start = _parse.Line.LineStart;
        int length = _parse.HeadEnd - start;
        byte[] head = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        _in.AsSpan(start, length).CopyTo(head);
        var session = new Http2Connection(connection, Handler, options, _options.Timeout, _options.KeepAliveTimeout, _errorLog, _scoreboardHost);
        if (session.RunUpgraded(head, length, _in.AsSpan(_pos, _inEnd - _pos)))
        {
            _parkedHttp2 = session;
            return true;
        }

        return false;
    }

    /// <summary>The HTTP/2 connection the last Serve parked, for the connection to keep; null when none did.</summary>
    public Http2Connection? TakeParkedHttp2()
    {
        Http2Connection? session = _parkedHttp2;
        _parkedHttp2 = null;
        return session;
    }

    /// <summary>Goes on with a parked HTTP/2 connection: WaitForInput when it parks again, else Close.</summary>
    public static ConnectionStep ResumeHttp2(Connection connection, Http2Connection session)
    {
        connection.ProtocolState = null;
        connection.Status.SetState(WorkerState.BusyRead);
        if (session.Resume())
        {
            connection.ProtocolState = session;
            return ConnectionStep.WaitForInput;
        }

        session.Dispose();
        return ConnectionStep.Close;
    }
}
