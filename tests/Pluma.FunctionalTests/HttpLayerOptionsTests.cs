using System.IO;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// MaxRanges per directory and HttpProtocolOptions Unsafe (issue 11, item 4), on the real
/// binary. Every expected answer is what Debian's apache2 2.4.71 gave on the same sections and
/// the same raw requests (a 20-byte file; 8190 is the default LimitRequestFieldSize).
/// </summary>
public sealed class HttpLayerOptionsTests : IClassFixture<HttpLayerOptionsTests.Server>
{
    private const string Twenty = "0123456789abcdefghij";
    private readonly Server _server;

    public HttpLayerOptionsTests(Server server)
    {
        _server = server;
    }

    // MaxRanges none ignores Range and says "Accept-Ranges: none" (still 416 for an unsatisfiable
    // range); a limit exceeded sends the whole file with 200; "default" in a subdirectory
    // overrides the parent's 1 with the compiled 200.
    [Theory]
    [InlineData("mr-none", "0-1", 200, "none", 20)]
    [InlineData("mr-none", "0-1,3-4", 200, "none", 20)]
    [InlineData("mr-none", "-3", 200, "none", 20)]
    [InlineData("mr-none", "50-60", 416, null, -1)]
    [InlineData("mr-1", "0-1", 206, "bytes", 2)]
    [InlineData("mr-1", "0-1,3-4", 200, "bytes", 20)]
    [InlineData("mr-2", "0-1,3-4", 206, "bytes", -1)]
    [InlineData("mr-2", "0-1,3-4,6-7", 200, "bytes", 20)]
    [InlineData("mr-unlimited", "0-1,3-4,6-7", 206, "bytes", -1)]
    [InlineData("mr-1/default", "0-1,3-4,6-7", 206, "bytes", -1)]
    public void MaxRangesAsApache(string dir, string range, int status, string? acceptRanges, int contentLength)
    {
        using var c = new RawHttp(_server.Tree.Port);
        c.Send($"GET /{dir}/f.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes={range}\r\nConnection: close\r\n\r\n");
        HttpResponseText r = c.ReadResponse();
        Assert.Equal(status, r.Status);
        if (status != 416)
        {
            Assert.Equal(acceptRanges, r.Header("Accept-Ranges"));
        }

        if (contentLength >= 0)
        {
            Assert.Equal(contentLength.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Header("Content-Length"));
        }

        if (status == 200)
        {
            Assert.Equal(Twenty, r.BodyText);
        }
        else if (status == 206)
        {
            bool multipart = r.Header("Content-Type")?.StartsWith("multipart/byteranges", StringComparison.Ordinal) == true;
            Assert.True(multipart || r.Header("Content-Range") is not null, "a 206 carries Content-Range or a multipart body");
        }
    }

    [Theory]
    [InlineData("MaxRanges 0")]
    [InlineData("MaxRanges -1")]
    [InlineData("MaxRangeOverlaps abc")]
    [InlineData("MaxRangeReversals 0")]
    public void MaxRangesRefusesWhatApacheRefuses(string line)
    {
        using var tree = new TempConfTree();
        tree.AppendToMainConfig(line);
        ProcessResult r = Pluma.Run("-t", "-d", tree.ConfDir);
        string name = line.Split(' ')[0];
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(name + " requires 'none', 'default', 'unlimited' or a positive integer", r.StandardOutput + r.StandardError);
    }

    // HttpProtocolOptions Unsafe: names Strict refuses are served; "..", port 0 and bad IPv6 never are.
    [Theory]
    [InlineData("123", 200)]
    [InlineData("1.2.3.04", 200)]
    [InlineData("a.1b", 200)]
    [InlineData("a,b", 200)]
    [InlineData("localhost:", 200)]
    [InlineData("a..b", 400)]
    [InlineData("a:0", 400)]
    [InlineData("[:::1]", 400)]
    public void UnsafeAcceptsTheHostsApacheAccepts(string host, int status)
    {
        using var c = new RawHttp(_server.Tree.Port);
        c.Send($"GET /mr-1/f.txt HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        Assert.Equal(status, c.ReadResponse().Status);
    }

    // Unsafe (protocol.c): a method or field name may hold any byte but whitespace (a method no
    // control either); a field value any control but NUL.
    [Theory]
    [InlineData("G(T /mr-1/f.txt HTTP/1.1\r\nHost: localhost\r\n", 501)]
    [InlineData("G\u0001T /mr-1/f.txt HTTP/1.1\r\nHost: localhost\r\n", 400)]
    [InlineData("GET /mr-1/f.txt HTTP/1.1\r\nHost: localhost\r\nX(A: ab\r\n", 200)]
    [InlineData("GET /mr-1/f.txt HTTP/1.1\r\nHost: localhost\r\nX\u0001A: ab\r\n", 200)]
    [InlineData("GET /mr-1/f.txt HTTP/1.1\r\nHost: localhost\r\nX-A: a\u0001b\u007f\u001b\r\n", 200)]
    [InlineData("GET /mr-1/f.txt HTTP/1.1\r\nHost: localhost\r\nX-A: a\u0000b\r\n", 400)]
    [InlineData("GET /mr-1/f.txt HTTP/1.1\r\nHost: localhost\r\nX A: ab\r\n", 400)]
    [InlineData("GET /mr-1/f.txt HTTP/1.1\r\nHost: localhost\r\nX-A : ab\r\n", 400)]
    public void UnsafeAcceptsTheTokensApacheAccepts(string head, int status)
    {
        using var c = new RawHttp(_server.Tree.Port);
        c.Send(head + "Connection: close\r\n\r\n");
        Assert.Equal(status, c.ReadResponse().Status);
    }

    // Unsafe joins obs-fold lines; Apache refuses once the joined line and its NUL reach
    // LimitRequestFieldSize: "X-F: a" plus 81 folds of 100 bytes plus one of 81 fits, of 82 does not.
    [Theory]
    [InlineData(81, 0, 200)]
    [InlineData(81, 81, 200)]
    [InlineData(81, 82, 400)]
    [InlineData(500, 0, 400)] // a 50 KB header
    public void UnsafeHoldsFoldedFieldsToTheLimit(int folds, int lastFold, int status)
    {
        var request = new System.Text.StringBuilder("GET /mr-1/f.txt HTTP/1.1\r\nHost: localhost\r\nX-F: a\r\n");
        for (int i = 0; i < folds; i++)
        {
            request.Append(' ').Append('b', 99).Append("\r\n");
        }

        if (lastFold > 0)
        {
            request.Append(' ').Append('c', lastFold).Append("\r\n");
        }

        request.Append("Connection: close\r\n\r\n");
        using var c = new RawHttp(_server.Tree.Port);
        c.Send(request.ToString());
        HttpResponseText r = c.ReadResponse();
        Assert.Equal(status, r.Status);
        if (status == 400)
        {
            Assert.Contains("Size of a request header field exceeds server limit.", r.BodyText, StringComparison.Ordinal);
        }
    }

    public sealed class Server : IDisposable
    {
        public Server()
        {
            Tree = new TempConfTree();
            string root = Tree.DocumentRoot;
            foreach (string dir in new[] { "mr-none", "mr-1", "mr-1/default", "mr-2", "mr-unlimited" })
            {
                Directory.CreateDirectory(Path.Combine(root, dir));
                File.WriteAllText(Path.Combine(root, dir, "f.txt"), Twenty);
            }

            Tree.AppendToMainConfig(
                "HttpProtocolOptions Unsafe\n" +
                $"<Directory {root}/mr-none>\nMaxRanges none\n</Directory>\n" +
                $"<Directory {root}/mr-1>\nMaxRanges 1\n</Directory>\n" +
                $"<Directory {root}/mr-1/default>\nMaxRanges default\n</Directory>\n" +
                $"<Directory {root}/mr-2>\nMaxRanges 2\n</Directory>\n" +
                $"<Directory {root}/mr-unlimited>\nMaxRanges unlimited\n</Directory>");
            Process = PlumaServer.Start(Tree);
        }

        public TempConfTree Tree { get; }

        public PlumaServer Process { get; }

        public void Dispose()
        {
            Process.Dispose();
            Tree.Dispose();
        }
    }
}
