using System.Collections.Generic;
using System.Linq;
using System.Text;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Fcgi;

/// <summary>Debian's apache2 and bin/pluma (event) on the same PHP application, in front of one php-fpm8.2.</summary>
public sealed class FcgiDifferentialServers : IDisposable
{
    private readonly DifferentialApache _apache;
    private readonly PlumaServer _pluma;

    public FcgiDifferentialServers()
    {
        Fpm = PhpFpm.Start();
        ApacheTree = new TempConfTree();
        PlumaTree = new TempConfTree();
        try
        {
            PhpSite.Install(ApacheTree, Fpm);
            PhpSite.Install(PlumaTree, Fpm);
            _apache = DifferentialApache.Start(ApacheTree);
            try
            {
                _pluma = PlumaServer.Start(PlumaTree);
            }
            catch
            {
                _apache.Dispose();
                throw;
            }
        }
        catch
        {
            PlumaTree.Dispose();
            ApacheTree.Dispose();
            Fpm.Dispose();
            throw;
        }
    }

    internal PhpFpm Fpm { get; }

    public TempConfTree ApacheTree { get; }

    public TempConfTree PlumaTree { get; }

    public void Dispose()
    {
        _pluma.Dispose();
        _apache.Dispose();
        PlumaTree.Dispose();
        ApacheTree.Dispose();
        Fpm.Dispose();
    }
}

/// <summary>
/// proxy_fcgi against Debian's apache2 with php8.2-fpm: status, the fields that matter (Content-Type,
/// Location, X-Script, Set-Cookie) and the body, in which the front controller prints $_SERVER's
/// CGI variables, $_GET, $_POST and $_FILES (tree paths and ports normalised).
/// </summary>
public sealed class FcgiDifferentialTests : IClassFixture<FcgiDifferentialServers>
{
    private const string Boundary = "----plumaBoundary7MA4YWxkTrZu0gW";

    private readonly FcgiDifferentialServers _s;

    public FcgiDifferentialTests(FcgiDifferentialServers servers)
    {
        _s = servers;
    }

    [Theory]
    [InlineData("/app/")]
    [InlineData("/app/hello-world/")]
    [InlineData("/app/2024/01/post?x=1&y[]=2")]
    [InlineData("/app/index.php")]
    [InlineData("/app/index.php?a=b%20c")]
    [InlineData("/app/index.php/extra/path?q")]
    [InlineData("/app/static.txt")]
    [InlineData("/app/missing.php")]
    [InlineData("/app/source.phps")]
    [InlineData("/app/.php")]
    [InlineData("/app/cases.php?c=status")]
    [InlineData("/app/cases.php?c=redirect")]
    [InlineData("/app/cases.php?c=cookie")]
    [InlineData("/app/cases.php?c=big")]
    [InlineData("/tcp/index.php?via=tcp")]
    [InlineData("/tcp/index.php/more/info")]
    [InlineData("/tcp/missing.php")]
    [InlineData("/gen/index.php?g=1")]
    [InlineData("/gen/sub%20dir/x.php")]
    public void GetAnswersAsApache(string target) => Compare("GET", target, "", null);

    [Fact]
    public void HeadAnswersAsApache() => Compare("HEAD", "/app/hello/", "", null);

    [Fact]
    public void AuthorizationReachesPhpAsApache() => Compare("GET", "/app/index.php", "Authorization: Basic dXNlcjpwYXNz\r\nX-Test: yes\r\n", null);

    [Fact]
    public void UrlEncodedPostAnswersAsApache()
    {
        byte[] body = Encoding.ASCII.GetBytes("name=Pluma&list[]=1&list[]=2&text=a+b%26c");
        Compare("POST", "/app/contact/", "Content-Type: application/x-www-form-urlencoded\r\n", body);
    }

    [Fact]
    public void MultipartUploadAnswersAsApache()
    {
        byte[] file = new byte[200_000];
        new Random(13).NextBytes(file);
        Compare("POST", "/app/upload/", $"Content-Type: multipart/form-data; boundary={Boundary}\r\n", Multipart(file));
    }

    [Fact]
    public void ChunkedPostAnswersAsApache()
    {
        byte[] body = Encoding.ASCII.GetBytes("a=1&b=" + new string('z', 3000));
        Compare("POST", "/app/index.php?c=input", "Content-Type: application/x-www-form-urlencoded\r\n", body, chunked: true);
    }

    [Fact]
    public void LargeRawBodyAnswersAsApache()
    {
        byte[] body = new byte[100_000];
        new Random(5).NextBytes(body);
        Compare("PUT", "/app/index.php?c=input", "Content-Type: application/octet-stream\r\n", body);
    }

    internal static byte[] Multipart(byte[] file)
    {
        var head = new StringBuilder();
        head.Append($"--{Boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nholiday\r\n");
        head.Append($"--{Boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"beach.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        byte[] tail = Encoding.ASCII.GetBytes($"\r\n--{Boundary}--\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. file, .. tail];
    }

    private void Compare(string method, string target, string headers, byte[]? body, bool chunked = false)
    {
        string apache = Normalise(Exchange(_s.ApacheTree.Port, method, target, headers, body, chunked), _s.ApacheTree);
        string pluma = Normalise(Exchange(_s.PlumaTree.Port, method, target, headers, body, chunked), _s.PlumaTree);
        if (apache != pluma)
        {
            string log = _s.PlumaTree.ErrorLog;
            Assert.Fail($"Apache:\n{apache}\n\nPluma:\n{pluma}\n\nPluma's error log (end):\n{log[Math.Max(0, log.Length - 3000)..]}");
        }
    }

    internal static HttpResponseText Exchange(int port, string method, string target, string headers, byte[]? body, bool chunked)
    {
        using var c = new RawHttp(port, timeoutMs: 30_000);
        var head = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: localhost:{port}\r\n{headers}Connection: close\r\n");
        if (body is not null)
        {
            head.Append(chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {body.Length}\r\n");
        }

        // Head and body in one write: Apache reads ahead only what has arrived (a non-blocking
        // prefetch), so a body sent in pieces may stream to PHP without a length there.
        var wire = new System.IO.MemoryStream();
        wire.Write(Encoding.Latin1.GetBytes(head.Append("\r\n").ToString()));
        if (body is not null)
        {
            if (chunked)
            {
                for (int at = 0; at < body.Length; at += 1000)
                {
                    int n = Math.Min(1000, body.Length - at);
                    wire.Write(Encoding.ASCII.GetBytes($"{n:x}\r\n"));
                    wire.Write(body, at, n);
                    wire.Write("\r\n"u8);
                }

                wire.Write("0\r\n\r\n"u8);
            }
            else
            {
                wire.Write(body);
            }
        }

        c.Send(wire.ToArray());
        return c.ReadResponse(headRequest: method == "HEAD");
    }

    private static readonly string[] Compared = ["Content-Type", "Location", "X-Script", "Set-Cookie", "Content-Length", "Transfer-Encoding"];

    private static string Normalise(HttpResponseText r, TempConfTree tree)
    {
        var sb = new StringBuilder();
        sb.Append(r.Status).Append('\n');
        foreach (var (name, value) in r.Headers.Where(h => Compared.Contains(h.Key, StringComparer.OrdinalIgnoreCase)))
        {
            // Apache frames a PHP body by length or in chunks as its filters decide; the bytes are compared below.
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            sb.Append(name).Append(": ").Append(value).Append('\n');
        }

        string body = r.BodyText;
        if (r.Status >= 400 && body.Contains("<address>", StringComparison.Ordinal))
        {
            body = body[..body.IndexOf("<address>", StringComparison.Ordinal)]; // the signature names the server
        }

        sb.Append('\n').Append(body);
        return sb.ToString().Replace(tree.Top, "$TOP", StringComparison.Ordinal)
            .Replace(":" + tree.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), ":$PORT", StringComparison.Ordinal);
    }

    internal static IEnumerable<string> Lines(HttpResponseText r) => r.BodyText.Split('\n');
}
