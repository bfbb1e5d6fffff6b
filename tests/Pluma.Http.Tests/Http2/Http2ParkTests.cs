using System.Net;
using Pluma.Connections;
using Pluma.Http.Http2;
using Pluma.Http.Http2.Hpack;
using Pluma.Http.Tests.Support;
using Xunit;

namespace Pluma.Http.Tests.Http2;

/// <summary>
/// An HTTP/2 connection that waits without a worker (the event MPM's park) keeps what a frame
/// in progress needs: a header block whose CONTINUATION has not arrived yet survives the wait.
/// </summary>
public sealed class Http2ParkTests
{
    [Fact]
    public void AHeaderBlockCutBeforeItsContinuationSurvivesTheWait()
    {
        var app = new TestApplication();
        var handler = new HttpConnectionHandler(app, new HttpServerOptions { Http2 = new Http2Options(), Http2Direct = true });
        var connection = InMemoryConnection.Create();
        connection.DeferWhenEmpty = true;
        connection.Workers = new NoWorkers();
        byte[] block = H2RawClient.Block();
        connection.Enqueue([.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, .. H2RawClient.FrameBytes(Http2FrameType.Settings, 0, 0, []),
            .. H2RawClient.FrameBytes(Http2FrameType.Headers, Http2Flags.EndStream, 1, block.AsSpan(0, 3))]);

        ConnectionStep step = handler.Serve(connection);
        Assert.Equal(ConnectionStep.WaitForInput, step);

        connection.Enqueue(H2RawClient.FrameBytes(Http2FrameType.Continuation, 0, 1, block.AsSpan(3, 2)));
        step = handler.Serve(connection);
        Assert.Equal(ConnectionStep.WaitForInput, step);

        connection.Enqueue(H2RawClient.FrameBytes(Http2FrameType.Continuation, Http2Flags.EndHeaders, 1, block.AsSpan(5)));
        for (int i = 0; i < 50 && app.Log.Count == 0; i++)
        {
            step = handler.Serve(connection);
        }

        Assert.Contains("\"GET / HTTP/2.0\" 200", Assert.Single(app.Log), StringComparison.Ordinal);
    }

    /// <summary>
    /// H2Direct takes the preface only in place of a connection's first request line (mod_http2:
    /// c->keepalives 0); after an HTTP/1.1 request it is the request line "PRI * HTTP/2.0",
    /// answered 400 as Apache answers it.
    /// </summary>
    [Fact]
    public void APrefaceAfterAnHttp11RequestIsAnHttp11RequestLine()
    {
        var options = new HttpServerOptions { Http2 = new Http2Options(), Http2Direct = true };
        (string output, _, _) = Wire.Run(new TestApplication(), options, "GET / HTTP/1.1\r\nHost: x\r\n\r\nPRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", output, StringComparison.Ordinal);
        Assert.Contains("\r\n\r\nhello worldHTTP/1.1 400 Bad Request\r\n", output, StringComparison.Ordinal);
    }

    /// <summary>No worker is ever idle: the connection serves its streams on its own thread.</summary>
    private sealed class NoWorkers : IWorkerPool
    {
        public int Size => 1;

        public bool TryStart(IPAddress client, Action<IWorkerStatus> work) => false;
    }
}
