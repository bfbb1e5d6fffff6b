using System.IO;
using System.IO.Compression;
using System.Text;
using Pluma.Benchmarks;
using Pluma.Connections;
using Pluma.Modules.CoreRequest;
using Pluma.Modules.Hosting;
using Pluma.Modules.Tests.Support;
using Xunit;

namespace Pluma.Pipeline.Tests;

/// <summary>
/// A small file whose bytes the open-file cache holds (settled, under the bound) is served from
/// memory exactly as it was read per request: whole, ranged, for HEAD, conditionally, through
/// mod_deflate (the bundled tree: Debian's deflate.conf compresses text/plain), and a file
/// rewritten in place, replaced, or grown past the bound is served as it is now.
/// </summary>
[Collection(PipelineTreeCollection.Name)]
public sealed class HeldSmallFileTests : IDisposable
{
    private const int Size = 2000;
    private readonly PipelineTree _tree;
    private readonly string _path;
    private readonly byte[] _bytes;

    public HeldSmallFileTests()
    {
        _bytes = Text(Size, 'a');
        byte[] bytes = _bytes;
        _tree = PipelineTree.Build("bundled", www => File.WriteAllBytes(Path.Combine(www, "held.txt"), bytes));
        _path = Path.Combine(_tree.Www, "held.txt");
        // The first request reads the file once; from then on the cache holds its bytes.
        Assert.Equal(_bytes, Get("/held.txt").Body);
        using OpenFileCache.OpenFile f = OpenFileCache.Open(_path, FileStatus.Of(_path));
        Assert.Equal(_bytes, f.Contents);
    }

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void TheWholeFileIsServedFromItsHeldBytes()
    {
        Response r = Get("/held.txt");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", r.Head, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Length: 2000\r\n", r.Head, StringComparison.Ordinal);
        Assert.Equal(_bytes, r.Body);
    }

    [Fact]
    public void ARangeOfAHeldFile()
    {
        Response r = Get("/held.txt", "Range: bytes=10-19\r\n");
        Assert.StartsWith("HTTP/1.1 206 Partial Content\r\n", r.Head, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Range: bytes 10-19/2000\r\n", r.Head, StringComparison.Ordinal);
        Assert.Equal(_bytes.AsSpan(10, 10).ToArray(), r.Body);

        Response tail = Get("/held.txt", "Range: bytes=-5\r\n");
        Assert.Equal(_bytes.AsSpan(Size - 5).ToArray(), tail.Body);
    }

    [Fact]
    public void SeveralRangesOfAHeldFileAreMultipart()
    {
        Response r = Get("/held.txt", "Range: bytes=0-4,100-109\r\n");
        Assert.StartsWith("HTTP/1.1 206 Partial Content\r\n", r.Head, StringComparison.Ordinal);
        string body = Encoding.Latin1.GetString(r.Body);
        Assert.Contains("Content-range: bytes 0-4/2000\r\n\r\n" + Encoding.Latin1.GetString(_bytes, 0, 5) + "\r\n--", body, StringComparison.Ordinal);
        Assert.Contains("Content-range: bytes 100-109/2000\r\n\r\n" + Encoding.Latin1.GetString(_bytes, 100, 10) + "\r\n--", body, StringComparison.Ordinal);
    }

    [Fact]
    public void HeadSendsTheLengthAndNoBody()
    {
        Response r = Get("/held.txt", method: "HEAD");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", r.Head, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Length: 2000\r\n", r.Head, StringComparison.Ordinal);
        Assert.Empty(r.Body);
    }

    [Fact]
    public void ConditionalRequestsOnAHeldFile()
    {
        string etag = Field(Get("/held.txt").Head, "ETag");
        Assert.StartsWith("HTTP/1.1 304 Not Modified\r\n", Get("/held.txt", "If-None-Match: " + etag + "\r\n").Head, StringComparison.Ordinal);
        Response ranged = Get("/held.txt", "If-Range: " + etag + "\r\nRange: bytes=0-9\r\n");
        Assert.StartsWith("HTTP/1.1 206 Partial Content\r\n", ranged.Head, StringComparison.Ordinal);
        Assert.Equal(_bytes.AsSpan(0, 10).ToArray(), ranged.Body);
        Response stale = Get("/held.txt", "If-Range: \"other\"\r\nRange: bytes=0-9\r\n");
        Assert.Equal(_bytes, stale.Body);
    }

    [Fact]
    public void DeflateCompressesAHeldFile()
    {
        Response r = Get("/held.txt", "Accept-Encoding: gzip\r\n");
        Assert.Contains("\r\nContent-Encoding: gzip\r\n", r.Head, StringComparison.Ordinal);
        Assert.Equal(_bytes, Gunzip(r.Body));

        // A range of the compressed body (Apache's byterange filter runs after DEFLATE).
        Response ranged = Get("/held.txt", "Accept-Encoding: gzip\r\nRange: bytes=0-9\r\n");
        Assert.StartsWith("HTTP/1.1 206 Partial Content\r\n", ranged.Head, StringComparison.Ordinal);
        Assert.Equal(r.Body.AsSpan(0, 10).ToArray(), ranged.Body);
    }

    [Fact]
    public void AFileRewrittenInPlaceWithTheSameSizeAndMtimeIsServedNew()
    {
        DateTime mtime = File.GetLastWriteTimeUtc(_path);
        byte[] next = Text(Size, 'n');
        using (var s = new FileStream(_path, FileMode.Open, FileAccess.Write))
        {
            s.Write(next);
        }

        File.SetLastWriteTimeUtc(_path, mtime); // only the change time tells
        Assert.Equal(next, Get("/held.txt").Body);
        Assert.Equal(next, Get("/held.txt").Body);
    }

    [Fact]
    public void AReplacedFileIsServedNew()
    {
        byte[] next = Text(Size, 'r');
        string temp = _path + ".new";
        File.WriteAllBytes(temp, next);
        File.Move(temp, _path, overwrite: true);
        Assert.Equal(next, Get("/held.txt").Body);
    }

    [Fact]
    public void AFileThatGrowsPastTheBoundIsServedWhole()
    {
        byte[] more = Text(OpenFileCache.MaxHeldFileSize, 'g');
        using (var s = new FileStream(_path, FileMode.Append, FileAccess.Write))
        {
            s.Write(more);
        }

        Response r = Get("/held.txt");
        Assert.Contains("\r\nContent-Length: " + (Size + more.Length) + "\r\n", r.Head, StringComparison.Ordinal);
        Assert.Equal([.. _bytes, .. more], r.Body);
    }

    private Response Get(string target, string headers = "", string method = "GET")
    {
        var c = MemoryConnection.For(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n" + headers + "Connection: close\r\n\r\n");
        while (_tree.Handler.Serve(c) == ConnectionStep.WaitForNextRequest && c.HasPendingInput)
        {
        }

        byte[] output = Encoding.Latin1.GetBytes(c.Output);
        int end = output.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
        string head = Encoding.Latin1.GetString(output, 0, end);
        byte[] body = output[end..];
        return new Response(head, head.Contains("\r\nTransfer-Encoding: chunked\r\n", StringComparison.Ordinal) ? Dechunk(body) : body);
    }

    private static string Field(string head, string name)
    {
        int i = head.IndexOf("\r\n" + name + ": ", StringComparison.Ordinal) + name.Length + 4;
        return head[i..head.IndexOf("\r\n", i, StringComparison.Ordinal)];
    }

    private static byte[] Dechunk(byte[] body)
    {
        var result = new MemoryStream();
        int at = 0;
        while (true)
        {
            int eol = body.AsSpan(at).IndexOf("\r\n"u8);
            int size = Convert.ToInt32(Encoding.Latin1.GetString(body, at, eol), 16);
            if (size == 0)
            {
                return result.ToArray();
            }

            result.Write(body, at + eol + 2, size);
            at += eol + 2 + size + 2;
        }
    }

    private static byte[] Gunzip(byte[] gz)
    {
        using var input = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Compressible lines of text, each file its own letter (so an old body never passes for a new one).</summary>
    private static byte[] Text(int size, char letter)
    {
        var b = new byte[size];
        for (int i = 0; i < size; i++)
        {
            b[i] = i % 50 == 49 ? (byte)'\n' : (byte)(i % 7 == 0 ? letter : 'a' + (i % 26));
        }

        return b;
    }

    private sealed record Response(string Head, byte[] Body);
}
