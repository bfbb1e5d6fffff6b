using Pluma.Connections;
using Pluma.Http.Http2;

namespace Pluma.Http.Internal;

/// <summary>
/// Handing a connection to the HTTP/2 engine: after the h2c preface (prior knowledge), or when
/// TLS chose "h2" by ALPN. The connection is HTTP/2 from then on; each stream comes back to this
/// handler as an HTTP/1.1 request on its own <see cref="Connection"/>.
/// </summary>
internal sealed partial class Http1Connection
{
    private void ServeHttp2(Connection connection, ReadOnlySpan<byte> received)
    {
        Http2Options options = _options.Http2 ?? new Http2Options();
        connection.Status.SetState(WorkerState.BusyRead);
        new Http2Connection(connection, Handler, options, _options.Timeout, _options.KeepAliveTimeout, _errorLog).Run(received);
    }
}
