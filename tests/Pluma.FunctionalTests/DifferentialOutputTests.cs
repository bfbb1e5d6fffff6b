using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// mod_deflate and mod_filter on Debian's stock deflate.conf, against Debian's apache2: the same
/// raw requests to both servers, compared on the status line, the response fields that the
/// output side decides (ETag, Vary, Content-Encoding, Content-Length or chunking, in the order
/// sent) and the body, decompressed when it is gzip. The compressed bytes themselves may differ
/// (Debian's zlib and .NET's zlib-ng choose different matches), so a gzip response's
/// Content-Length is compared as present or absent, and its body after inflating.
/// </summary>
public sealed class DifferentialOutputTests : IClassFixture<DifferentialOutputServers>
{
    private const string Gzip = "Accept-Encoding: gzip, deflate\r\n";

    private static readonly Dictionary<string, string> s_cases = new()
    {
        ["text compressed"] = Get("/d/ten.txt", Gzip),
        ["text without Accept-Encoding"] = Get("/d/ten.txt", string.Empty),
        ["html compressed"] = Get("/d/page.html", Gzip),
        ["css compressed"] = Get("/d/style.css", Gzip),
        ["not a listed type"] = Get("/d/data.bin", Gzip),
        ["index page by DirectoryIndex"] = Get("/", Gzip),
        ["3-byte body left alone"] = Get("/d/tiny.txt", Gzip),
        ["68-byte body left alone"] = Get("/d/68.txt", Gzip),
        ["69-byte body compressed"] = Get("/d/69.txt", Gzip),
        ["large body compressed and chunked"] = Get("/d/big.txt", Gzip),
        ["HEAD compressed"] = "HEAD /d/ten.txt HTTP/1.1\r\nHost: localhost\r\n" + Gzip + "Connection: close\r\n\r\n",
        ["HEAD not compressed"] = "HEAD /d/ten.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        ["HTTP/1.0 compressed"] = "GET /d/ten.txt HTTP/1.0\r\n" + Gzip + "\r\n",
        ["HTTP/1.0 large body"] = "GET /d/big.txt HTTP/1.0\r\n" + Gzip + "\r\n",
        ["error page not compressed"] = Get("/d/missing.txt", Gzip),
        ["gzip;q=0"] = Get("/d/ten.txt", "Accept-Encoding: gzip;q=0\r\n"),
        ["gzip; q=0.000"] = Get("/d/ten.txt", "Accept-Encoding: gzip; q=0.000\r\n"),
        ["gzip;q=0.001"] = Get("/d/ten.txt", "Accept-Encoding: gzip;q=0.001\r\n"),
        ["gzip;x=1;q=0"] = Get("/d/ten.txt", "Accept-Encoding: gzip;x=1;q=0\r\n"),
        ["x-gzip"] = Get("/d/ten.txt", "Accept-Encoding: x-gzip\r\n"),
        ["GZIP upper case"] = Get("/d/ten.txt", "Accept-Encoding: GZIP\r\n"),
        ["star"] = Get("/d/ten.txt", "Accept-Encoding: *\r\n"),
        ["identity"] = Get("/d/ten.txt", "Accept-Encoding: identity\r\n"),
        ["keep-alive compressed"] = "GET /d/ten.txt HTTP/1.1\r\nHost: localhost\r\n" + Gzip + "\r\n",
    };

    private readonly DifferentialOutputServers _servers;

    public DifferentialOutputTests(DifferentialOutputServers servers)
    {
        _servers = servers;
    }

    public static TheoryData<string> Cases
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string name in s_cases.Keys)
            {
                data.Add(name);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DeflateAnswersAsDebiansApacheDoes(string name)
    {
        string request = s_cases[name];
        bool head = request.StartsWith("HEAD ", StringComparison.Ordinal);
        string apache = Exchange(_servers.ApachePort, request, head);
        string pluma = Exchange(_servers.PlumaPort, request, head);
        Assert.True(apache == pluma, $"{name}\n--- apache2 ---\n{apache}\n--- pluma ---\n{pluma}");
    }

    [Fact]
    public void TheETagOfTheCompressedResponseDoesNotMatchAsIfNoneMatch()
    {
        // Apache compares If-None-Match with the handler's ETag, before mod_deflate adds -gzip:
        // the plain tag answers 304 (no Vary: the filter saw an empty body), the -gzip one does not.
        string etag = Etag(_servers.ApachePort);
        Assert.Equal(etag, Etag(_servers.PlumaPort));
        foreach (string tag in new[] { etag, etag[..^1] + "-gzip\"" })
        {
            string request = Get("/d/ten.txt", Gzip + "If-None-Match: " + tag + "\r\n");
            string apache = Exchange(_servers.ApachePort, request, false);
            string pluma = Exchange(_servers.PlumaPort, request, false);
            Assert.True(apache == pluma, $"If-None-Match: {tag}\n--- apache2 ---\n{apache}\n--- pluma ---\n{pluma}");
        }
    }

    [Fact]
    public void ACompressedBodyInflatesToTheFile()
    {
        using var c = new RawHttp(_servers.PlumaPort);
        c.Send(Get("/d/big.txt", Gzip));
        HttpResponseText r = c.ReadResponse();
        Assert.Equal("gzip", r.Header("Content-Encoding"));
        Assert.Equal("chunked", r.Header("Transfer-Encoding"));
        byte[] file = File.ReadAllBytes(Path.Combine(_servers.PlumaTree.DocumentRoot, "d", "big.txt"));
        Assert.Equal(file, Inflate(r.Body));
        Assert.True(r.Body.Length < file.Length, $"{r.Body.Length} compressed bytes for {file.Length}");
    }

    private static string Etag(int port)
    {
        using var c = new RawHttp(port);
        c.Send(Get("/d/ten.txt", string.Empty));
        return c.ReadResponse().Header("ETag") ?? "(none)";
    }

    private static string Get(string path, string fields) =>
        "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + fields + "Connection: close\r\n\r\n";

    /// <summary>The status line, the output side's fields in the order sent, and the body (inflated when gzip).</summary>
    private static string Exchange(int port, string request, bool head)
    {
        using var c = new RawHttp(port);
        c.Send(request);
        HttpResponseText r = c.ReadResponse(head);
        bool gzip = r.Header("Content-Encoding") == "gzip";
        // Apache's error pages carry its token in the signature: their length is not ours to compare.
        bool errorPage = r.BodyText.Contains("<address>", StringComparison.Ordinal);
        var text = new StringBuilder(r.StatusLine).Append('\n');
        foreach (KeyValuePair<string, string> field in r.Headers)
        {
            string name = field.Key;
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && (gzip || errorPage))
            {
                text.Append(gzip ? "Content-Length: (compressed)\n" : "Content-Length: (error page)\n");
            }
            else if (name is "ETag" or "Accept-Ranges" or "Vary" or "Content-Encoding" or "Content-Range" or "Content-Length"
                or "Transfer-Encoding" or "Connection" or "Content-Type" or "Last-Modified")
            {
                text.Append(name).Append(": ").Append(field.Value).Append('\n');
            }
        }

        byte[] body = gzip && !head && r.Body.Length > 0 ? Inflate(r.Body) : r.Body;
        string bodyText = Encoding.Latin1.GetString(body);

        if (errorPage)
        {
            return text.Append("\n(error page)\n").ToString();
        }

        return text.Append('\n').Append(bodyText.Length).Append(" body bytes").Append(gzip ? " inflated" : string.Empty).Append('\n')
            .Append(bodyText).ToString();
    }

    private static byte[] Inflate(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
