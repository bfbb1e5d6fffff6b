using System.Threading;
using Pluma.Connections;
using Pluma.Http.Tests.Support;
using Xunit;

namespace Pluma.Http.Tests.Engine;

/// <summary>
/// A head that has not all arrived: the engine gives the connection back (WaitForInput) with
/// its bytes and parse state in <see cref="Connection.ProtocolState"/>, and a later Serve, on
/// any thread, resumes where it stopped. A head that is already whole never waits.
/// </summary>
public class WaitForInputTests
{
    private const string TwoRequests = "GET / HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    [Fact]
    public void AHeadArrivingOneByteAtATimeIsServedAsAWholeOneIs()
    {
        var app = new TestApplication();
        var handler = new HttpConnectionHandler(app, new HttpServerOptions());
        string whole = Wire.Run(app, null, TwoRequests).Output;

        var connection = InMemoryConnection.Create();
        connection.DeferWhenEmpty = true;
        int waits = 0;
        ConnectionStep step = handler.Serve(connection);
        int firstEnd = TwoRequests.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        for (int i = 0; i < TwoRequests.Length; i++)
        {
            char c = TwoRequests[i];
            if (i == firstEnd)
            {
                // The first request is answered and nothing of the next is there: keep-alive.
                Assert.Equal(ConnectionStep.WaitForNextRequest, step);
                Assert.Null(connection.ProtocolState);
            }
            else
            {
                Assert.Equal(ConnectionStep.WaitForInput, step);
                Assert.NotNull(connection.ProtocolState);
                Assert.True(connection.InputDeadline > Environment.TickCount64);
                waits++;
            }

            connection.Enqueue(c.ToString());
            step = handler.Serve(connection);
        }

        Assert.Equal(ConnectionStep.Close, step);
        Assert.Null(connection.ProtocolState);
        Assert.Equal(Wire.MaskDate(whole), Wire.MaskDate(connection.Output));
        Assert.Equal(TwoRequests.Length - 1, waits);
    }

    [Fact]
    public void AWholeHeadNeverWaits()
    {
        var connection = InMemoryConnection.Create();
        connection.DeferWhenEmpty = true;
        connection.Enqueue("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        ConnectionStep step = new HttpConnectionHandler(new TestApplication(), new HttpServerOptions()).Serve(connection);
        Assert.Equal(ConnectionStep.WaitForNextRequest, step);
        Assert.Null(connection.ProtocolState);
    }

    [Fact]
    public void ThePartOfAHeadIsGivenBackWhenTheConnectionCloses()
    {
        var connection = InMemoryConnection.Create();
        connection.DeferWhenEmpty = true;
        connection.Enqueue("GET / HTTP/1.1\r\nHo");
        Assert.Equal(ConnectionStep.WaitForInput, new HttpConnectionHandler(new TestApplication(), new HttpServerOptions()).Serve(connection));
        IDisposable state = connection.ProtocolState!;
        state.Dispose(); // what SocketConnection.Dispose does
        state.Dispose(); // twice is harmless
    }

    [Fact]
    public void AHeadThatMissesTheReqtimeoutDeadlineGets408WhenResumed()
    {
        var options = new HttpServerOptions { HeaderReadTimeout = new RequestReadTimeout(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), 500) };
        var handler = new HttpConnectionHandler(new TestApplication(), options);
        var connection = InMemoryConnection.Create();
        connection.DeferWhenEmpty = true;
        connection.Enqueue("GET / HTTP/1.1\r\nHo");
        Assert.Equal(ConnectionStep.WaitForInput, handler.Serve(connection));
        Assert.True(connection.InputDeadline - Environment.TickCount64 <= 100);
        Thread.Sleep(150);
        Assert.Equal(ConnectionStep.Close, handler.Serve(connection));
        Assert.StartsWith("HTTP/1.1 408 Request Timeout\r\n", connection.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeepAliveConnectionHandedOverWithNothingToReadWaitsForItsNextRequestAgain()
    {
        (HttpConnectionHandler handler, InMemoryConnection connection) = AfterOneKeepAliveRequest();
        int answered = connection.Output.Length;

        // The event MPM's wake for input an earlier read took: nothing of a new request is there.
        connection.KeepAliveTimeout = TimeSpan.Zero;
        Assert.Equal(ConnectionStep.WaitForNextRequest, handler.Serve(connection));
        Assert.Equal(TimeSpan.FromSeconds(60), connection.KeepAliveTimeout);
        Assert.Null(connection.ProtocolState);
        Assert.Equal(answered, connection.Output.Length);

        // Past the header stage's deadline the next request is still served, not answered 408.
        Thread.Sleep(150);
        connection.Enqueue("GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Assert.Equal(ConnectionStep.Close, handler.Serve(connection));
        Assert.StartsWith("HTTP/1.1 200 ", connection.Output[answered..], StringComparison.Ordinal);
        Assert.Equal(2, connection.RequestCount);
    }

    [Fact]
    public void ANewConnectionWithNothingToReadWaitsAsAHeadWithTheHeaderStagesDeadline()
    {
        var connection = InMemoryConnection.Create();
        connection.DeferWhenEmpty = true;
        Assert.Equal(ConnectionStep.WaitForInput, new HttpConnectionHandler(new TestApplication(), LongKeepAliveShortHeaderStage()).Serve(connection));
        Assert.True(connection.InputDeadline - Environment.TickCount64 <= 100);
    }

    [Fact]
    public void AKeepAliveConnectionHoldingPartOfATlsRecordWaitsAsAHeadBegun()
    {
        (HttpConnectionHandler handler, InMemoryConnection connection) = AfterOneKeepAliveRequest();

        // The client has begun its next request, though nothing of it is readable yet: a client
        // that trickles a record stays bounded by the header stage.
        connection.PartialInput = true;
        Assert.Equal(ConnectionStep.WaitForInput, handler.Serve(connection));
        Assert.True(connection.InputDeadline - Environment.TickCount64 <= 100);
    }

    /// <summary>
    /// KeepAliveTimeout 60 s and a header stage of at most 100 ms: a wait between requests
    /// counted as a head that has begun would close the idle client after 100 ms instead of 60 s.
    /// </summary>
    private static HttpServerOptions LongKeepAliveShortHeaderStage() => new()
    {
        KeepAliveTimeout = TimeSpan.FromSeconds(60),
        HeaderReadTimeout = new RequestReadTimeout(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), 500),
    };

    /// <summary>A connection (deferring when it has nothing to read) that has been answered one keep-alive request.</summary>
    private static (HttpConnectionHandler Handler, InMemoryConnection Connection) AfterOneKeepAliveRequest()
    {
        var handler = new HttpConnectionHandler(new TestApplication(), LongKeepAliveShortHeaderStage());
        var connection = InMemoryConnection.Create();
        connection.DeferWhenEmpty = true;
        connection.Enqueue("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(ConnectionStep.WaitForNextRequest, handler.Serve(connection));
        return (handler, connection);
    }
}
