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
        var session = new Http2Connection(connection, Handler, options, _options.Timeout, _options.KeepAliveTimeout, _errorLog);
        if (session.Run(received))
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
