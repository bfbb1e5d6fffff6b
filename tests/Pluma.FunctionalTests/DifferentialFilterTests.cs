using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Both servers with Debian's deflate.conf plus mod_filter's smart filters in &lt;Files&gt;
/// sections: a FilterProvider with an expression, FilterChain's !, =, @, - and + forms, an
/// undeclared name, and an AddOutputFilterByType of a section (which hides the server's types).
/// </summary>
public sealed class FilterServers : IDisposable
{
    internal const string Config = """
        FilterDeclare COMPRESS
        FilterProvider COMPRESS DEFLATE "%{CONTENT_TYPE} == 'application/octet-stream'"
        <Files "data.bin">
          FilterChain COMPRESS
        </Files>
        <Files "ten.txt">
          FilterChain !
        </Files>
        <Files "page.html">
          AddOutputFilterByType DEFLATE text/css
        </Files>
        <Files "style.css">
          FilterChain -BYTYPE:DEFLATE
        </Files>
        <Files "69.txt">
          FilterDeclare BYURI CONTENT_SET
          FilterProvider BYURI DEFLATE "%{REQUEST_URI} =~ /69/"
          FilterChain =BYURI
        </Files>
        <Files "big.txt">
          FilterChain NOSUCH @COMPRESS
        </Files>
        """;

    public FilterServers()
    {
        Servers = new DifferentialOutputServers(Config);
    }

    internal DifferentialOutputServers Servers { get; }

    public void Dispose() => Servers.Dispose();
}

/// <summary>FilterDeclare, FilterProvider and FilterChain as far as DEFLATE goes, against Debian's apache2 (bodies inflated and compared).</summary>
public sealed class DifferentialFilterTests : IClassFixture<FilterServers>
{
    private readonly DifferentialOutputServers _servers;

    public DifferentialFilterTests(FilterServers servers)
    {
        _servers = servers.Servers;
    }

    [Theory]
    [InlineData("/d/data.bin")]
    [InlineData("/d/ten.txt")]
    [InlineData("/d/page.html")]
    [InlineData("/d/style.css")]
    [InlineData("/d/69.txt")]
    [InlineData("/d/big.txt")]
    [InlineData("/d/tiny.txt")]
    public void SmartFiltersCompressAsDebiansApacheDoes(string path)
    {
        string request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n";
        string apache = Exchange(_servers.ApachePort, request);
        string pluma = Exchange(_servers.PlumaPort, request);
        Assert.True(apache == pluma, $"{path}\n--- apache2 ---\n{apache}\n--- pluma ---\n{pluma}");
    }

    [Fact]
    public void AnUndeclaredNameOnTheChainIsLeftOutWithApachesWarning()
    {
        using var c = new RawHttp(_servers.PlumaPort);
        c.Send("GET /d/big.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        Assert.Equal(200, c.ReadResponse().Status);
        Assert.Contains("AH01380: Unknown filter NOSUCH not added", _servers.PlumaTree.ErrorLog, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FilterProvider X NOSUCH \"true\"", "Unknown filter provider NOSUCH")]
    [InlineData("FilterProvider X DEFLATE \"%{CONTENT_TYPE} =~\"", "Error parsing FilterProvider expression:")]
    public void BadProvidersAreRefusedAsApacheRefusesThem(string line, string message)
    {
        using var tree = new TempConfTree();
        tree.AppendToMainConfig(line);
        ProcessResult apache = ProcessRunner.Run("/bin/sh", ["-c", ". \"$APACHE_CONFDIR/envvars\"; exec " + DifferentialApache.Binary + " -d \"$APACHE_CONFDIR\" -t"],
            new Dictionary<string, string?> { ["APACHE_CONFDIR"] = tree.ConfDir });
        ProcessResult pluma = Pluma.OnTree(tree, "-t");
        Assert.NotEqual(0, apache.ExitCode);
        Assert.NotEqual(0, pluma.ExitCode);
        Assert.Contains(message, apache.Combined, StringComparison.Ordinal);
        Assert.Contains(message, pluma.Combined, StringComparison.Ordinal);
    }

    [Fact]
    public void AFilterTypePlumaCannotPlaceIsRefusedByName()
    {
        using var tree = new TempConfTree();
        tree.AppendToMainConfig("FilterDeclare X CONNECTION");
        ProcessResult pluma = Pluma.OnTree(tree, "-t");
        Assert.NotEqual(0, pluma.ExitCode);
        Assert.Contains("PL00231: FilterDeclare X CONNECTION", pluma.Combined, StringComparison.Ordinal);
    }

    /// <summary>The status line, Vary and Content-Encoding, and the body inflated when gzip.</summary>
    private static string Exchange(int port, string request)
    {
        using var c = new RawHttp(port);
        c.Send(request);
        HttpResponseText r = c.ReadResponse();
        bool gzip = r.Header("Content-Encoding") == "gzip";
        byte[] body = gzip ? Inflate(r.Body) : r.Body;
        return new StringBuilder(r.StatusLine).Append('\n')
            .Append("Vary: ").Append(r.Header("Vary")).Append('\n')
            .Append("Content-Encoding: ").Append(r.Header("Content-Encoding")).Append('\n')
            .Append(body.Length).Append(" body bytes\n")
            .Append(Encoding.Latin1.GetString(body)).ToString();
    }

    private static byte[] Inflate(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
