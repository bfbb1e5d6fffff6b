using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Pluma.Http.Http2;
using Pluma.Http.Tests.Support;
using Xunit;

namespace Pluma.Http.Tests.Http2;

/// <summary>The engine over h2c by prior knowledge on 127.0.0.1, with real HTTP/2 clients.</summary>
public sealed class Http2LoopbackTests
{
    private static HttpServerOptions Options => new() { KeepAliveTimeout = TimeSpan.FromSeconds(2), Http2 = new Http2Options(), Http2Direct = true };

    private static HttpClient H2Client() => new()
    {
        DefaultRequestVersion = new Version(2, 0),
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromSeconds(20),
    };

    [Fact]
    public async Task GetIsAnsweredOverHttp2AndLoggedAsHttp20()
    {
        var app = new TestApplication { Handler = c => { c.Response.ContentType = "text/plain"; c.Response.Write(Encoding.ASCII.GetBytes(c.Request.Protocol)); } };
        using var server = new LoopbackServer(app, Options);
        using HttpClient client = H2Client();

        using HttpResponseMessage response = await client.GetAsync(server.BaseAddress + "a?b=c");

        Assert.Equal(new Version(2, 0), response.Version);
        Assert.Equal("HTTP/2.0", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        // The stream logs after its last frame is on the wire: the client may read it first.
        for (int i = 0; i < 100 && app.Log.Count == 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Contains("\"GET /a?b=c HTTP/2.0\" 200", app.Log[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostBodiesWithAndWithoutLengthReachTheApplication()
    {
        var app = new TestApplication
        {
            Handler = c =>
            {
                var body = new MemoryStream();
                byte[] buffer = new byte[7000];
                int n;
                while ((n = c.Request.Read(buffer)) > 0)
                {
                    body.Write(buffer, 0, n);
                }

                c.Response.Write(Encoding.ASCII.GetBytes(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(body.ToArray()))));
            },
        };
        using var server = new LoopbackServer(app, Options);
        using HttpClient client = H2Client();
        byte[] data = new byte[300_000];
        new Random(7).NextBytes(data);
        string expected = "300000:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(data));

        // Larger than the 65535-octet stream window: flow control must reopen it.
        using HttpResponseMessage sized = await client.PostAsync(server.BaseAddress, new ByteArrayContent(data));
        Assert.Equal(expected, await sized.Content.ReadAsStringAsync());

        using var unsized = new StreamContent(new MemoryStream(data));
        using var request = new HttpRequestMessage(System.Net.Http.HttpMethod.Post, server.BaseAddress) { Content = unsized };
        request.Headers.TransferEncodingChunked = true;
        using HttpResponseMessage chunked = await client.SendAsync(request);
        Assert.Equal(expected, await chunked.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ManyConcurrentStreamsOnOneConnectionAllComplete()
    {
        var app = new TestApplication { Handler = c => c.Response.Write(new byte[100_000]) };
        using var server = new LoopbackServer(app, Options);
        using HttpClient client = H2Client();

        Task<byte[]>[] all = new Task<byte[]>[40];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = client.GetByteArrayAsync(server.BaseAddress + "s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        foreach (byte[] body in await Task.WhenAll(all))
        {
            Assert.Equal(100_000, body.Length);
        }

        Assert.Equal(1, server.AcceptedConnections);
    }

    [Fact]
    public void CurlPriorKnowledgeGetsHeadersAndBody()
    {
        using var server = new LoopbackServer(new TestApplication(), Options);
        (int exit, string output) = Run("curl", "-sS -i --http2-prior-knowledge " + server.BaseAddress);
        Assert.Equal(0, exit);
        Assert.StartsWith("HTTP/2 200", output, StringComparison.Ordinal);
        Assert.Contains("content-type: text/html", output, StringComparison.Ordinal);
        Assert.DoesNotContain("connection:", output, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("hello world", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Http11StillWorksWhenHttp2IsOn()
    {
        using var server = new LoopbackServer(new TestApplication(), Options);
        (int exit, string output) = Run("curl", "-sS -i --http1.1 -X POST -d x " + server.BaseAddress);
        Assert.Equal(0, exit);
        Assert.StartsWith("HTTP/1.1 200", output, StringComparison.Ordinal);
    }

    internal static (int, string) Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(30_000));
        return (process.ExitCode, output);
    }
}
