using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Both servers with smart filters whose provider is DEFLATE under FilterProtocol, on files of a
/// type Debian's deflate.conf leaves alone (so AddOutputFilterByType plays no part). Apache writes
/// a provider's flags on DEFLATE's own filter record, shared by every smart filter, where Pluma
/// keeps them with the smart filter that names them: each location here gives DEFLATE the same
/// flags, so both readings agree. /p: the provider's flags; /h: the harness's own byteranges=no
/// too (the Range is hidden from the handler until a provider takes it back); /t: FilterTrace 1.
/// </summary>
public sealed class FilterProtocolServers : IDisposable
{
    private readonly DifferentialPair _pair;

    internal FilterProtocolServers(string providerFlags)
    {
        string config = """
            LogLevel warn filter:debug
            Alias /p ${PLUMA_WWW}/html/fp
            Alias /h ${PLUMA_WWW}/html/fp
            Alias /t ${PLUMA_WWW}/html/fp
            <Location /p>
              FilterDeclare P
              FilterProvider P DEFLATE "%{REQUEST_URI} =~ /blob/"
              FilterProtocol P DEFLATE "FLAGS"
              FilterChain P
            </Location>
            <Location /h>
              FilterDeclare H
              FilterProvider H DEFLATE "%{REQUEST_URI} =~ /blob/"
              FilterProtocol H DEFLATE "FLAGS"
              FilterProtocol H byteranges=no
              FilterChain H
            </Location>
            <Location /t>
              FilterDeclare T
              FilterProvider T DEFLATE "%{REQUEST_URI} =~ /blob/"
              FilterProtocol T DEFLATE "FLAGS"
              FilterTrace T 1
              FilterChain T
            </Location>
            """.Replace("FLAGS", providerFlags, StringComparison.Ordinal);
        _pair = new DifferentialPair(tree =>
        {
            string dir = Path.Combine(tree.DocumentRoot, "fp");
            Directory.CreateDirectory(dir);
            var words = new StringBuilder();
            var random = new Random(7);
            string[] vocabulary = ["alpha", "beta", "gamma", "delta", "filter", "\n"];
            for (int i = 0; i < 1500; i++)
            {
                words.Append(vocabulary[random.Next(vocabulary.Length)]).Append(' ');
            }

            Write(Path.Combine(dir, "blob.bin"), words.ToString());
            Write(Path.Combine(dir, "other.bin"), words.ToString());
            tree.AppendToMainConfig(config);
        });
    }

    public TempConfTree ApacheTree => _pair.ApacheTree;

    public TempConfTree PlumaTree => _pair.PlumaTree;

    public void Dispose() => _pair.Dispose();

    private static void Write(string path, string text)
    {
        File.WriteAllText(path, text);
        File.SetLastWriteTimeUtc(path, DifferentialServers.FileTime);
    }
}

/// <summary>DEFLATE's flags "change=yes;cache=no": no ETag, no Content-Length, no Last-Modified, Cache-Control: no-cache.</summary>
public sealed class FilterProtocolChangeServers : IDisposable
{
    public FilterProtocolChangeServers()
    {
        Servers = new FilterProtocolServers("change=yes;cache=no");
    }

    internal FilterProtocolServers Servers { get; }

    public void Dispose() => Servers.Dispose();
}

/// <summary>DEFLATE's flags "change=1:1, byteranges=no": no ETag but the length kept, Accept-Ranges: none, Range never restored.</summary>
public sealed class FilterProtocolNoRangeServers : IDisposable
{
    public FilterProtocolNoRangeServers()
    {
        Servers = new FilterProtocolServers("change=1:1, byteranges=no");
    }

    internal FilterProtocolServers Servers { get; }

    public void Dispose() => Servers.Dispose();
}

/// <summary>The cases both flag sets answer; the comparison itself.</summary>
internal static class FilterProtocolCases
{
    public static readonly string[] Requests =
    [
        "GET /p/blob.bin HTTP/1.1\r\nAccept-Encoding: gzip\r\n",
        "GET /p/blob.bin HTTP/1.1\r\n",
        "GET /p/blob.bin HTTP/1.1\r\nAccept-Encoding: gzip\r\nRange: bytes=0-9\r\n",
        "GET /p/blob.bin HTTP/1.1\r\nRange: bytes=5-14\r\n",
        "GET /p/other.bin HTTP/1.1\r\nRange: bytes=5-14\r\n",
        "HEAD /p/blob.bin HTTP/1.1\r\nAccept-Encoding: gzip\r\n",
        "GET /h/blob.bin HTTP/1.1\r\nAccept-Encoding: gzip\r\nRange: bytes=0-9\r\n",
        "GET /h/blob.bin HTTP/1.1\r\nRange: bytes=5-14\r\n",
        "GET /h/other.bin HTTP/1.1\r\nRange: bytes=5-14\r\n",
        "GET /t/blob.bin HTTP/1.1\r\nAccept-Encoding: gzip\r\n",
    ];

    public static TheoryData<int> Indexes()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Requests.Length; i++)
        {
            data.Add(i);
        }

        return data;
    }

    public static void AssertSame(FilterProtocolServers servers, int index)
    {
        string request = Requests[index] + "Host: localhost\r\nConnection: close\r\n\r\n";
        bool head = request.StartsWith("HEAD", StringComparison.Ordinal);
        string apache = Exchange(servers.ApacheTree.Port, request, head);
        string pluma = Exchange(servers.PlumaTree.Port, request, head);
        Assert.True(apache == pluma, $"{Requests[index]}\n--- apache2 ---\n{apache}\n--- pluma ---\n{pluma}");
    }

    /// <summary>The trace lines of a request, from "AH01375" on, without time, pid and client port.</summary>
    public static string TraceOf(TempConfTree tree)
    {
        using (var c = new RawHttp(tree.Port))
        {
            c.Send("GET /t/blob.bin HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n");
            Assert.Equal(200, c.ReadResponse().Status);
        }

        string log = string.Empty;
        for (int i = 0; i < 50 && !log.EndsWith("type: EOS, length: 0\n", StringComparison.Ordinal); i++)
        {
            Thread.Sleep(100);
            log = tree.ErrorLog;
        }

        var lines = new List<string>();
        foreach (Match m in Regex.Matches(log, @"\[filter:debug\].*?\[client [^\]]+\] (AH0137[56]: .*)"))
        {
            lines.Add(m.Groups[1].Value);
        }

        // The last request's lines: from its harness's first trace line on.
        int last = lines.FindLastIndex(l => l.StartsWith("AH01375: ", StringComparison.Ordinal));
        return last < 0 ? "(no trace)" : string.Join('\n', lines.GetRange(last, lines.Count - last));
    }

    private static string Exchange(int port, string request, bool head)
    {
        using var c = new RawHttp(port);
        c.Send(request);
        HttpResponseText r = c.ReadResponse(head);
        bool gzip = r.Header("Content-Encoding") == "gzip";
        var text = new StringBuilder(r.StatusLine).Append('\n');
        foreach (KeyValuePair<string, string> field in r.Headers)
        {
            if (field.Key is "ETag" or "Last-Modified" or "Accept-Ranges" or "Vary" or "Content-Encoding" or "Cache-Control" or "Transfer-Encoding" or "Content-Type")
            {
                text.Append(field.Key).Append(": ").Append(field.Value).Append('\n');
            }
            else if (field.Key is "Content-Length" or "Content-Range")
            {
                // The compressed length is the compressor's (Debian's zlib or .NET's).
                text.Append(field.Key).Append(": ").Append(gzip ? Regex.Replace(field.Value, @"\d+$", "N") : field.Value).Append('\n');
            }
        }

        if (!head)
        {
            byte[] body = gzip && r.Status == 200 ? Inflate(r.Body) : r.Body;
            text.Append(body.Length).Append(" body bytes").Append(gzip && r.Status == 200 ? " inflated" : string.Empty).Append('\n');
            if (!gzip || r.Status == 200)
            {
                text.Append(Encoding.Latin1.GetString(body)).Append('\n');
            }
        }

        return text.ToString();
    }

    private static byte[] Inflate(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}

/// <summary>FilterProtocol with change=yes and cache=no on DEFLATE, against Debian's apache2.</summary>
public sealed class DifferentialFilterProtocolChangeTests : IClassFixture<FilterProtocolChangeServers>
{
    private readonly FilterProtocolServers _servers;

    public DifferentialFilterProtocolChangeTests(FilterProtocolChangeServers servers)
    {
        _servers = servers.Servers;
    }

    public static TheoryData<int> Cases() => FilterProtocolCases.Indexes();

    [Theory]
    [MemberData(nameof(Cases))]
    public void FilterProtocolAnswersAsDebiansApacheDoes(int index) => FilterProtocolCases.AssertSame(_servers, index);

    [Fact]
    public void FilterTraceLogsTheBrigadeAsApacheDoes()
    {
        string apache = FilterProtocolCases.TraceOf(_servers.ApacheTree);
        string pluma = FilterProtocolCases.TraceOf(_servers.PlumaTree);
        Assert.Contains("AH01376: T: type: FILE, length: ", apache, StringComparison.Ordinal);
        Assert.Equal(apache, pluma);
    }
}

/// <summary>FilterProtocol with change=1:1 and byteranges=no on DEFLATE, against Debian's apache2.</summary>
public sealed class DifferentialFilterProtocolNoRangeTests : IClassFixture<FilterProtocolNoRangeServers>
{
    private readonly FilterProtocolServers _servers;

    public DifferentialFilterProtocolNoRangeTests(FilterProtocolNoRangeServers servers)
    {
        _servers = servers.Servers;
    }

    public static TheoryData<int> Cases() => FilterProtocolCases.Indexes();

    [Theory]
    [MemberData(nameof(Cases))]
    public void FilterProtocolAnswersAsDebiansApacheDoes(int index) => FilterProtocolCases.AssertSame(_servers, index);

    [Theory]
    [InlineData("FilterProtocol NOSUCH change=yes", "FilterProtocol: No such filter")]
    [InlineData("FilterDeclare X\nFilterProtocol X NOSUCH change=yes", "FilterProtocol: No such provider for this filter")]
    [InlineData("FilterTrace NOSUCH 1", "Undeclared smart filter NOSUCH")]
    public void BadLinesAreRefusedAsApacheRefusesThem(string lines, string message)
    {
        using var tree = new TempConfTree();
        tree.AppendToMainConfig(lines);
        ProcessResult apache = ProcessRunner.Run("/bin/sh", ["-c", ". \"$APACHE_CONFDIR/envvars\"; exec " + DifferentialApache.Binary + " -d \"$APACHE_CONFDIR\" -t"],
            new Dictionary<string, string?> { ["APACHE_CONFDIR"] = tree.ConfDir });
        ProcessResult pluma = Pluma.OnTree(tree, "-t");
        Assert.NotEqual(0, apache.ExitCode);
        Assert.NotEqual(0, pluma.ExitCode);
        Assert.Contains(message, apache.Combined, StringComparison.Ordinal);
        Assert.Contains(message, pluma.Combined, StringComparison.Ordinal);
    }
}
