using System.Text;
using Pluma.Connections;
using Pluma.Http.Tests.Support;
using Xunit;

namespace Pluma.Http.Tests.StaticFiles;

/// <summary>
/// EnableSendfile decides how a file too large for the output buffer leaves: by the transport's
/// SendFile only when On; Off (Apache's default) reads it and sends the bytes. Either way the
/// bytes on the wire are the file's, whole or ranged.
/// </summary>
public sealed class EnableSendfileTests : IDisposable
{
    private const int FileBytes = (600 * 1024) + 7; // more than two copy pieces, not a multiple of one

    private readonly TempFiles _files = new();
    private readonly byte[] _data = new byte[FileBytes];
    private readonly string _path;

    public EnableSendfileTests()
    {
        new Random(5).NextBytes(_data);
        _path = _files.Create("big.bin", _data);
    }

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public void AWholeLargeFileGoesBySendfileOnlyWhenOn(bool enable, int sendFileCalls)
    {
        var (body, connection) = Serve(enable, "GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n", "HTTP/1.1 200 OK\r\n");
        Assert.Equal(sendFileCalls, connection.SendFileCalls);
        Assert.True(body.AsSpan().SequenceEqual(_data));
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public void ALargeRangeGoesBySendfileOnlyWhenOn(bool enable, int sendFileCalls)
    {
        var (body, connection) = Serve(enable, "GET /big.bin HTTP/1.1\r\nHost: localhost\r\nRange: bytes=100-500099\r\n\r\n", "HTTP/1.1 206 Partial Content\r\n");
        Assert.Equal(sendFileCalls, connection.SendFileCalls);
        Assert.True(body.AsSpan().SequenceEqual(_data.AsSpan(100, 500_000)));
    }

    [Fact]
    public void OffIsTheDefault()
    {
        Assert.False(StaticFileOptions.Default.EnableSendfile);
        var connection = InMemoryConnection.Create();
        connection.Enqueue("GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n");
        _ = new HttpConnectionHandler(new FileApplication(_path), new HttpServerOptions()).Serve(connection);
        Assert.Equal(0, connection.SendFileCalls);
        Assert.EndsWith("\r\n\r\n" + Encoding.Latin1.GetString(_data), connection.Output, StringComparison.Ordinal);
    }

    private (byte[] Body, InMemoryConnection Connection) Serve(bool enable, string request, string statusLine)
    {
        var connection = InMemoryConnection.Create();
        connection.Enqueue(request);
        var app = new FileApplication(_path, options: new StaticFileOptions { EnableSendfile = enable });
        _ = new HttpConnectionHandler(app, new HttpServerOptions()).Serve(connection);
        byte[] output = Encoding.Latin1.GetBytes(connection.Output);
        int headEnd = output.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
        Assert.StartsWith(statusLine, connection.Output, StringComparison.Ordinal);
        return (output[headEnd..], connection);
    }
}
