using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// A Range on a response mod_deflate compresses, against Debian's apache2: the byterange filter
/// runs after DEFLATE, so the ranges cut the gzip stream (Content-Range's total is the compressed
/// length, If-Range must name the "-gzip" ETag), and a body whose compressed form outgrows one
/// DeflateBufferSize is not ranged at all (the filter saw a brigade without its end). The
/// compressed bytes differ between Debian's zlib and .NET's (other matches), so totals and
/// lengths that depend on them are normalised; the 10-byte gzip header (bytes=0-9) and a whole
/// stream (bytes=0-, inflated) are compared exactly.
/// </summary>
public sealed partial class DifferentialRangeGzipTests : IClassFixture<DifferentialOutputServers>
{
    private const string Gzip = "Accept-Encoding: gzip\r\n";

    private readonly DifferentialOutputServers _servers;

    public DifferentialRangeGzipTests(DifferentialOutputServers servers)
    {
        _servers = servers;
    }

    [Theory]
    [InlineData("/d/ten.txt", "Range: bytes=0-9\r\n")] // the gzip header
    [InlineData("/d/ten.txt", "Range: bytes=0-\r\n")] // the whole stream as one part
    [InlineData("/d/ten.txt", "Range: bytes=10-19\r\n")] // inside the deflate data
    [InlineData("/d/ten.txt", "Range: bytes=-8\r\n")] // the CRC and length trailer
    [InlineData("/d/ten.txt", "Range: bytes=0-9,20-29\r\n")] // multipart/byteranges of the stream
    [InlineData("/d/ten.txt", "Range: bytes=99999-\r\n")] // beyond the compressed length: 416
    [InlineData("/d/ten.txt", "Range: bytes=2000-2010\r\n")] // beyond the compressed, within the file's
    [InlineData("/d/ten.txt", "Range: bytes=x\r\n")] // not a range: 200
    [InlineData("/d/big.txt", "Range: bytes=0-9\r\n")] // more than one buffer of gzip: 200, chunked
    [InlineData("/d/tiny.txt", "Range: bytes=0-1\r\n")] // too small to compress: the plain bytes
    [InlineData("/d/data.bin", "Range: bytes=0-9\r\n")] // a type DEFLATE leaves alone
    public void ARangeOfACompressedResponseIsApaches(string path, string range)
    {
        string view = AssertSame(path, Gzip + range);
        if (range.Contains(',', StringComparison.Ordinal))
        {
            // Two ranges: the comparison really saw two parts and the closing delimiter.
            Assert.Equal(2, Regex.Count(view, "(?m)^part: Content-type=text/plain Content-range=bytes [0-9]+-[0-9]+/TOTAL, 10 bytes$"));
            Assert.Contains("closing delimiter", view, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void IfRangeMatchesOnlyTheCompressedETag()
    {
        string etag = PlainETag(_servers.ApachePort);
        Assert.Equal(etag, PlainETag(_servers.PlumaPort));
        AssertSame("/d/ten.txt", Gzip + "Range: bytes=0-9\r\nIf-Range: " + etag[..^1] + "-gzip\"\r\n");
        AssertSame("/d/ten.txt", Gzip + "Range: bytes=0-9\r\nIf-Range: " + etag + "\r\n");
    }

    [Fact]
    public void HeadWithARangeOfACompressedResponseIsApaches()
    {
        string request = "HEAD /d/ten.txt HTTP/1.1\r\nHost: localhost\r\n" + Gzip + "Range: bytes=0-9\r\nConnection: close\r\n\r\n";
        string apache = Exchange(_servers.ApachePort, request, head: true);
        string pluma = Exchange(_servers.PlumaPort, request, head: true);
        Assert.True(apache == pluma, $"HEAD\n--- apache2 ---\n{apache}\n--- pluma ---\n{pluma}");
    }

    /// <summary>
    /// The 416 page the byterange filter answers with after DEFLATE (an error bucket in Apache)
    /// has no Content-Length: on a keep-alive connection it is chunked and the connection stays,
    /// to a client that asked to close it is close-delimited (no chunking) and the connection ends.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A416AfterDeflateIsFramedAsApaches(bool close)
    {
        string request = "GET /d/ten.txt HTTP/1.1\r\nHost: localhost\r\n" + Gzip + "Range: bytes=99999-\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n";
        string apache = Framing(_servers.ApachePort, request, close);
        string pluma = Framing(_servers.PlumaPort, request, close);
        Assert.True(apache == pluma, $"416, close={close}\n--- apache2 ---\n{apache}\n--- pluma ---\n{pluma}");
        Assert.Contains(close ? "Transfer-Encoding: (none)" : "Transfer-Encoding: chunked", apache, StringComparison.Ordinal);
    }

    /// <summary>The status line, the framing fields, the page's title, and what the connection did next.</summary>
    private static string Framing(int port, string request, bool close)
    {
        using var c = new RawHttp(port);
        c.Send(request);
        HttpResponseText r = c.ReadResponse();
        var text = new StringBuilder(r.StatusLine).Append('\n');
        foreach (string name in (string[])["Content-Length", "Transfer-Encoding", "Connection", "Content-Encoding", "Vary"])
        {
            text.Append(name).Append(": ").Append(r.Header(name) ?? "(none)").Append('\n');
        }

        text.Append(Title().Match(r.BodyText).Value).Append('\n');
        if (close)
        {
            // A close-delimited body was read to the end of the stream; a framed one must be followed by it.
            text.Append("after the page: ").Append(EndOfStream(c)).Append('\n');
        }
        else
        {
            c.Send("GET /d/tiny.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            text.Append("next request on the connection: ").Append(c.ReadResponse().StatusLine).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>"closed" when the server ends the stream with nothing more (within RawHttp's receive timeout).</summary>
    private static string EndOfStream(RawHttp c)
    {
        var buffer = new byte[4096];
        try
        {
            int n = c.Socket.Receive(buffer);
            return n == 0 ? "closed" : n + " more bytes";
        }
        catch (System.Net.Sockets.SocketException e)
        {
            return "not closed (" + e.SocketErrorCode + ")";
        }
    }

    private string AssertSame(string path, string fields)
    {
        string request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + fields + "Connection: close\r\n\r\n";
        string apache = Exchange(_servers.ApachePort, request, head: false);
        string pluma = Exchange(_servers.PlumaPort, request, head: false);
        Assert.True(apache == pluma, $"{path} {fields}\n--- apache2 ---\n{apache}\n--- pluma ---\n{pluma}");
        return apache;
    }

    private static string PlainETag(int port)
    {
        using var c = new RawHttp(port);
        c.Send("GET /d/ten.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        return c.ReadResponse().Header("ETag") ?? "(none)";
    }

    /// <summary>The status line, the output side's fields in the order sent (compressed lengths normalised), and a view of the body.</summary>
    private static string Exchange(int port, string request, bool head)
    {
        using var c = new RawHttp(port);
        c.Send(request);
        HttpResponseText r = c.ReadResponse(head);
        bool gzip = r.Header("Content-Encoding") == "gzip";
        if (r.BodyText.Contains("<address>", StringComparison.Ordinal))
        {
            // An error page carries the server's token: its fields and title are compared.
            return r.StatusLine + "\n" + Fields(r, gzip) + Title().Match(r.BodyText).Value + "\n";
        }

        var text = new StringBuilder(r.StatusLine).Append('\n').Append(Fields(r, gzip));
        string? contentRange = r.Header("Content-Range");
        if (head)
        {
            return text.Append(r.Body.Length).Append(" body bytes\n").ToString();
        }

        if (gzip && r.Status == 206 && contentRange is not null && contentRange.StartsWith("bytes 0-9/", StringComparison.Ordinal))
        {
            text.Append("gzip header: ").Append(Convert.ToHexString(r.Body)).Append('\n');
        }
        else if (gzip && r.Status == 206 && contentRange is not null && Regex.IsMatch(contentRange, @"^bytes 0-(\d+)/(\d+)$") && IsWhole(contentRange))
        {
            text.Append("whole stream, inflated: ").Append(Encoding.Latin1.GetString(Inflate(r.Body))).Append('\n');
        }
        else if (gzip && r.Status == 200)
        {
            text.Append("inflated: ").Append(Encoding.Latin1.GetString(Inflate(r.Body))).Append('\n');
        }
        else if (gzip && r.Header("Content-Type")?.StartsWith("multipart/", StringComparison.Ordinal) == true)
        {
            // Each part's fields and length: the boundary's own length differs between servers
            // (Apache's carries the request time and its pid in hex), so the body's total cannot.
            text.Append(Parts(r));
        }
        else if (gzip)
        {
            text.Append(r.Body.Length).Append(" body bytes of the stream\n");
        }
        else
        {
            text.Append(r.BodyText).Append('\n');
        }

        return text.ToString();
    }

    private static string Fields(HttpResponseText r, bool gzip)
    {
        bool multipart = r.Header("Content-Type")?.StartsWith("multipart/", StringComparison.Ordinal) == true;
        var text = new StringBuilder();
        foreach (KeyValuePair<string, string> field in r.Headers)
        {
            string name = field.Key;
            string value = field.Value;
            if (name == "Content-Length" && (gzip || r.BodyText.Contains("<address>", StringComparison.Ordinal)) && !(gzip && value == "10"))
            {
                value = "(depends on the compressor)";
            }
            else if (name == "Content-Range" && gzip)
            {
                value = CompressedSpan(value);
            }
            else if (name == "Content-Type" && multipart)
            {
                value = Boundary().Replace(value, "boundary=B");
            }
            else if (name is not ("ETag" or "Accept-Ranges" or "Vary" or "Content-Encoding" or "Content-Length" or "Transfer-Encoding" or "Content-Type" or "Content-Range"))
            {
                continue;
            }

            text.Append(name).Append(": ").Append(value).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The parts of a multipart/byteranges body: each part's fields (compressed spans normalised) and its length.</summary>
    private static string Parts(HttpResponseText r)
    {
        Match boundary = Regex.Match(r.Header("Content-Type") ?? "", @"boundary=""?([^"";\s]+)");
        string delimiter = "--" + boundary.Groups[1].Value;
        string body = Encoding.Latin1.GetString(r.Body);
        var text = new StringBuilder();
        foreach (string part in body.Split(delimiter, StringSplitOptions.None)[1..])
        {
            if (part.StartsWith("--", StringComparison.Ordinal))
            {
                text.Append("closing delimiter\n");
                break;
            }

            int end = part.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            string[] fields = part[..Math.Max(end, 0)].Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            text.Append("part:");
            foreach (string field in fields)
            {
                int colon = field.IndexOf(':', StringComparison.Ordinal);
                string value = colon < 0 ? field : field[(colon + 1)..].Trim();
                bool range = colon > 0 && field[..colon].Equals("Content-Range", StringComparison.OrdinalIgnoreCase);
                text.Append(' ').Append(colon < 0 ? field : field[..colon]).Append('=').Append(range ? CompressedSpan(value) : value);
            }

            // The data runs to the CRLF that precedes the next delimiter.
            int length = end < 0 ? -1 : part.Length - (end + 4) - 2;
            text.Append(", ").Append(length).Append(" bytes\n");
        }

        return text.ToString();
    }

    private static bool IsWhole(string contentRange)
    {
        Match m = Regex.Match(contentRange, @"^bytes 0-(\d+)/(\d+)$");
        return long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1 == long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Inflate(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>"bytes a-b/total" with the compressed total named TOTAL, and ends that depend on it named from it.</summary>
    private static string CompressedSpan(string value)
    {
        Match m = Regex.Match(value, @"^bytes (\d+)-(\d+)/(\d+)$");
        if (!m.Success)
        {
            return Regex.Replace(value, @"/\d+$", "/TOTAL");
        }

        long first = long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        long last = long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        long total = long.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture);
        string a = first == total - 8 ? "TOTAL-8" : m.Groups[1].Value;
        string b = last == total - 1 && first != last ? "TOTAL-1" : m.Groups[2].Value;
        return "bytes " + a + "-" + b + "/TOTAL";
    }

    [GeneratedRegex(@"boundary=\S+")]
    private static partial Regex Boundary();

    [GeneratedRegex("<title>.*</title>")]
    private static partial Regex Title();
}
