using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Pluma.Http.Tests.Support;
using Xunit;

namespace Pluma.Http.Tests.Loopback;

/// <summary>The engine behind real sockets on 127.0.0.1, talked to by HttpClient and by hand.</summary>
public sealed class LoopbackTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task HttpClientReusesTheKeptAliveConnection()
    {
        using var server = new LoopbackServer(new TestApplication());
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage response = await client.GetAsync(new Uri("/", UriKind.Relative));
            Assert.Equal("hello world", await response.Content.ReadAsStringAsync());
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(1, server.AcceptedConnections);
    }

    [Fact]
    public void PipelinedRequestsInOneSegmentAreAnsweredInOrder()
    {
        var app = new TestApplication { Handler = c => c.Response.Write(Encoding.ASCII.GetBytes(c.Request.Path)) };
        using var server = new LoopbackServer(app);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000 };
        socket.Connect(System.Net.IPAddress.Loopback, server.Port);
        socket.Send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"u8);
        string all = ReadToEnd(socket);
        int a = all.IndexOf("\r\n\r\n/a", StringComparison.Ordinal);
        int b = all.IndexOf("\r\n\r\n/b", StringComparison.Ordinal);
        int c = all.IndexOf("\r\n\r\n/c", StringComparison.Ordinal);
        Assert.True(a > 0 && b > a && c > b, all);
        Assert.EndsWith("\r\n\r\n/c", all, StringComparison.Ordinal);
        Assert.Equal(1, server.AcceptedConnections);
    }

    [Fact]
    public async Task OneMebibyteFileArrivesWholeThroughSendFile()
    {
        byte[] content = new byte[1 << 20];
        new Random(7).NextBytes(content);
        string path = _files.Create("big.bin", content);
        using var server = new LoopbackServer(new FileApplication(path, "application/octet-stream"));
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using HttpResponseMessage response = await client.GetAsync(new Uri("/big.bin", UriKind.Relative));
        Assert.Equal(1 << 20, response.Content.Headers.ContentLength);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());

        using var ranged = new HttpRequestMessage(System.Net.Http.HttpMethod.Get, new Uri("/big.bin", UriKind.Relative));
        ranged.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1000, 1999);
        using HttpResponseMessage partial = await client.SendAsync(ranged);
        Assert.Equal(System.Net.HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(content.AsSpan(1000, 1000).ToArray(), await partial.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, server.AcceptedConnections);
    }

    private static string ReadToEnd(Socket socket)
    {
        var output = new MemoryStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = socket.Receive(buffer)) > 0)
        {
            output.Write(buffer, 0, n);
        }

        return Encoding.Latin1.GetString(output.ToArray());
    }
}
