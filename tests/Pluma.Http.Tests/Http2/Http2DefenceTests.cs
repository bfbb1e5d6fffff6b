using System.Collections.Generic;
using Pluma.Http.Http2;
using Pluma.Http.Http2.Hpack;
using Pluma.Http.Tests.Support;
using Xunit;

namespace Pluma.Http.Tests.Http2;

/// <summary>The connection engine against raw frames: RFC 9113's errors and the flood defences.</summary>
public sealed class Http2DefenceTests
{
    private static LoopbackServer Server(Http2Options? h2 = null, Action<HttpContext>? handler = null) =>
        new(new TestApplication { Handler = handler ?? TestApplication.Hello }, new HttpServerOptions { KeepAliveTimeout = TimeSpan.FromSeconds(5), Http2 = h2 ?? new Http2Options(), Http2Direct = true });

    [Fact]
    public void ServerSettingsAnnounceTheStreamLimitAndPingIsAnswered()
    {
        using LoopbackServer server = Server(new Http2Options { MaxConcurrentStreams = 7 });
        using var client = new H2RawClient(server.Port);
        var settings = client.ReadUntil(Http2FrameType.Settings)!.Value;
        Assert.Contains(Convert.FromHexString("000300000007"), Chunks(settings.Payload));

        client.Frame(Http2FrameType.Ping, 0, 0, "pluma-h2"u8);
        var ping = client.ReadUntil(Http2FrameType.Ping)!.Value;
        Assert.True(ping.Header.HasFlag(Http2Flags.Ack));
        Assert.Equal("pluma-h2"u8.ToArray(), ping.Payload);
    }

    [Fact]
    public void RequestGetsHeadersAndEndStreamData()
    {
        using LoopbackServer server = Server();
        using var client = new H2RawClient(server.Port);
        client.Frame(Http2FrameType.Headers, Http2Flags.EndHeaders | Http2Flags.EndStream, 1, H2RawClient.Block());
        var headers = client.ReadUntil(Http2FrameType.Headers)!.Value;
        List<(string, string)> fields = client.DecodeHeaders(headers.Payload, new HpackDecoder(4096, 65536));
        Assert.Equal((":status", "200"), fields[0]);
        Assert.DoesNotContain(fields, f => f.Item1 is "connection" or "keep-alive" or "transfer-encoding");
        var data = client.ReadUntil(Http2FrameType.Data)!.Value;
        Assert.Equal("hello world"u8.ToArray(), data.Payload);
        Assert.True(data.Header.HasFlag(Http2Flags.EndStream));
    }

    [Fact]
    public void RapidResetIsAnsweredWithEnhanceYourCalm()
    {
        using LoopbackServer server = Server(new Http2Options { MaxResetsPerSecond = 20 });
        using var client = new H2RawClient(server.Port);
        // All in one write: the server answers with GOAWAY and closes while a frame-by-frame
        // client would still be sending, and that send then fails with a reset.
        var frames = new List<byte>();
        for (int id = 1; id < 200; id += 2)
        {
            frames.AddRange(H2RawClient.FrameBytes(Http2FrameType.Headers, Http2Flags.EndHeaders, id, H2RawClient.Block("POST")));
            frames.AddRange(H2RawClient.FrameBytes(Http2FrameType.RstStream, 0, id, [0, 0, 0, 8]));
        }

        client.Send(frames.ToArray());

        var goAway = client.ReadUntil(Http2FrameType.GoAway)!.Value;
        Assert.Equal((uint)Http2ErrorCode.EnhanceYourCalm, H2RawClient.ErrorCode(goAway.Payload, 4));
        Assert.Null(client.ReadUntil(Http2FrameType.Data)); // and the connection closes
    }

    [Fact]
    public void ContinuationFloodIsAnsweredWithEnhanceYourCalm()
    {
        using LoopbackServer server = Server(new Http2Options { MaxContinuationFrames = 16 });
        using var client = new H2RawClient(server.Port);
        // One write, as above: the flood must be in before the server's GOAWAY and close.
        var frames = new List<byte>(H2RawClient.FrameBytes(Http2FrameType.Headers, 0, 1, H2RawClient.Block()));
        for (int i = 0; i < 40; i++)
        {
            frames.AddRange(H2RawClient.FrameBytes(Http2FrameType.Continuation, 0, 1, []));
        }

        client.Send(frames.ToArray());

        var goAway = client.ReadUntil(Http2FrameType.GoAway)!.Value;
        Assert.Equal((uint)Http2ErrorCode.EnhanceYourCalm, H2RawClient.ErrorCode(goAway.Payload, 4));
    }

    [Fact]
    public void StreamsAboveTheLimitAreRefused()
    {
        // Each POST waits for a body that never comes: the third stream is one too many.
        using LoopbackServer server = Server(new Http2Options { MaxConcurrentStreams = 2 }, c => c.Request.DiscardBody());
        using var client = new H2RawClient(server.Port);
        client.Frame(Http2FrameType.Headers, Http2Flags.EndHeaders, 1, H2RawClient.Block("POST"));
        client.Frame(Http2FrameType.Headers, Http2Flags.EndHeaders, 3, H2RawClient.Block("POST"));
        client.Frame(Http2FrameType.Headers, Http2Flags.EndHeaders, 5, H2RawClient.Block("POST"));
        var rst = client.ReadUntil(Http2FrameType.RstStream)!.Value;
        Assert.Equal(5, rst.Header.StreamId);
        Assert.Equal((uint)Http2ErrorCode.RefusedStream, H2RawClient.ErrorCode(rst.Payload, 0));
    }

    /// <summary>
    /// RFC 9113 5.1.1: HEADERS on an identifier the client passed over (3 after 5) is an
    /// unexpected identifier, PROTOCOL_ERROR; HEADERS on a stream that was opened and has closed
    /// is STREAM_CLOSED (5.1).
    /// </summary>
    [Theory]
    [InlineData(3, Http2ErrorCode.ProtocolError)]
    [InlineData(1, Http2ErrorCode.StreamClosed)]
    public void HeadersBelowTheLastStreamTellAPassedOverIdentifierFromAClosedStream(int again, Http2ErrorCode expected)
    {
        using LoopbackServer server = Server();
        using var client = new H2RawClient(server.Port);
        client.Frame(Http2FrameType.Headers, Http2Flags.EndHeaders | Http2Flags.EndStream, 1, H2RawClient.Block());
        client.Frame(Http2FrameType.Headers, Http2Flags.EndHeaders | Http2Flags.EndStream, 5, H2RawClient.Block());
        var seen = new List<Http2FrameHeader>();
        while (client.ReadUntil(Http2FrameType.Data, seen) is { } data && !(data.Header.StreamId == 5 && data.Header.HasFlag(Http2Flags.EndStream)))
        {
        }

        client.Frame(Http2FrameType.Headers, Http2Flags.EndHeaders | Http2Flags.EndStream, again, H2RawClient.Block());
        var goAway = client.ReadUntil(Http2FrameType.GoAway)!.Value;
        Assert.Equal((uint)expected, H2RawClient.ErrorCode(goAway.Payload, 4));
    }

    [Theory]
    [InlineData("X-Upper", "v")]
    [InlineData("x-injected", "a\r\nx-evil: 1")]
    [InlineData("connection", "close")]
    [InlineData("te", "gzip")]
    public void MalformedRequestsAreResetWithProtocolError(string name, string value)
    {
        var app = new TestApplication();
        using var server = new LoopbackServer(app, new HttpServerOptions { Http2 = new Http2Options(), Http2Direct = true });
        using var client = new H2RawClient(server.Port);
        client.Frame(Http2FrameType.Headers, Http2Flags.EndHeaders | Http2Flags.EndStream, 1, H2RawClient.Block("GET", (name, value)));
        var rst = client.ReadUntil(Http2FrameType.RstStream)!.Value;
        Assert.Equal(1, rst.Header.StreamId);
        Assert.Equal((uint)Http2ErrorCode.ProtocolError, H2RawClient.ErrorCode(rst.Payload, 0));
        Assert.Empty(app.Log);
    }

    [Fact]
    public void APrefaceNotFollowedBySettingsClosesWithGoAway()
    {
        using LoopbackServer server = Server();
        using (var client = new H2RawClient(server.Port, preface: false))
        {
            client.Send(Http2FrameWriter.ClientPreface);
            client.Frame(Http2FrameType.Ping, 0, 0, "12345678"u8);
            var goAway = client.ReadUntil(Http2FrameType.GoAway)!.Value;
            Assert.Equal((uint)Http2ErrorCode.ProtocolError, H2RawClient.ErrorCode(goAway.Payload, 4));
        }
    }

    [Fact]
    public void RequestTrailersEndAChunkedBody()
    {
        string? seen = null;
        using LoopbackServer server = Server(handler: c =>
        {
            byte[] buffer = new byte[100];
            int total = 0, n;
            while ((n = c.Request.Read(buffer.AsSpan(total))) > 0)
            {
                total += n;
            }

            seen = System.Text.Encoding.ASCII.GetString(buffer, 0, total);
            c.Response.Write("ok"u8);
        });
        using var client = new H2RawClient(server.Port);
        client.Frame(Http2FrameType.Headers, Http2Flags.EndHeaders, 1, H2RawClient.Block("POST"));
        client.Frame(Http2FrameType.Data, 0, 1, "abc"u8);
        client.Frame(Http2FrameType.Data, Http2Flags.Padded, 1, [2, (byte)'d', 0, 0]);
        byte[] trailer = new byte[64];
        int t = 0;
        trailer[t++] = 0x00;
        trailer[t++] = 6;
        "x-hash"u8.CopyTo(trailer.AsSpan(t));
        t += 6;
        trailer[t++] = 1;
        trailer[t++] = (byte)'1';
        client.Frame(Http2FrameType.Headers, Http2Flags.EndHeaders | Http2Flags.EndStream, 1, trailer.AsSpan(0, t));
        var data = client.ReadUntil(Http2FrameType.Data)!.Value;
        Assert.Equal("ok"u8.ToArray(), data.Payload);
        Assert.Equal("abcd", seen);
    }

    [Fact]
    public void DataAndTrailersAfterAnEarlyResponseAreIgnoredNotAConnectionError()
    {
        // The body is complete by its content-length before the client's END_STREAM: the server
        // ends the response and resets the stream with NO_ERROR (8.1) while the client may still
        // be sending. What the client had in flight (here an empty DATA, then trailers) must be
        // ignored (5.1, "closed"), the connection kept (h2spec's 8.1/1 raced into this).
        using LoopbackServer server = Server();
        using var client = new H2RawClient(server.Port);
        client.Frame(Http2FrameType.Headers, Http2Flags.EndHeaders, 1, H2RawClient.Block("POST", ("content-length", "4")));
        client.Frame(Http2FrameType.Data, 0, 1, "test"u8);
        var seen = new List<Http2FrameHeader>();
        var reset = client.ReadUntil(Http2FrameType.RstStream, seen)!.Value;
        Assert.Equal(0u, H2RawClient.ErrorCode(reset.Payload, 0));
        Assert.Contains(seen, h => h.Type == Http2FrameType.Data && h.HasFlag(Http2Flags.EndStream));

        client.Frame(Http2FrameType.Data, 0, 1, []);
        byte[] trailer = [0x00, 6, .. "x-hash"u8, 1, (byte)'1'];
        client.Frame(Http2FrameType.Headers, Http2Flags.EndHeaders | Http2Flags.EndStream, 1, trailer);
        client.Frame(Http2FrameType.Ping, 0, 0, "still-up"u8);
        var after = new List<Http2FrameHeader>();
        var ping = client.ReadUntil(Http2FrameType.Ping, after)!.Value;
        Assert.True(ping.Header.HasFlag(Http2Flags.Ack));
        Assert.DoesNotContain(after, h => h.Type is Http2FrameType.GoAway or Http2FrameType.RstStream);

        // And the connection still serves.
        client.Frame(Http2FrameType.Headers, Http2Flags.EndHeaders | Http2Flags.EndStream, 3, H2RawClient.Block());
        var data = client.ReadUntil(Http2FrameType.Data)!.Value;
        Assert.Equal("hello world"u8.ToArray(), data.Payload);
    }

    private static List<byte[]> Chunks(byte[] settings)
    {
        var list = new List<byte[]>();
        for (int i = 0; i + 6 <= settings.Length; i += 6)
        {
            list.Add(settings[i..(i + 6)]);
        }

        return list;
    }
}
