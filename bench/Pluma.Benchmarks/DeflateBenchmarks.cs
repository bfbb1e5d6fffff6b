using System.IO;
using System.Text;
using BenchmarkDotNet.Attributes;
using Pluma.Connections;

namespace Pluma.Benchmarks;

/// <summary>
/// The per-request cost of mod_deflate: one keep-alive GET of a 10 KB text file through the real
/// pipeline on the bundled tree (Debian's deflate.conf: AddOutputFilterByType DEFLATE text/plain
/// ...), without Accept-Encoding (the filter only adds Vary) and with "Accept-Encoding: gzip"
/// (compressed at DeflateCompressionLevel's default, 6).
/// </summary>
[MemoryDiagnoser]
public class DeflateBenchmarks
{
    private PipelineTree? _tree;
    private IConnectionHandler _handler = null!;
    private BenchConnection _identity = null!;
    private BenchConnection _gzip = null!;

    [GlobalSetup]
    public void Setup()
    {
        _tree = PipelineTree.Build("bundled", www =>
        {
            var text = new StringBuilder();
            string[] words = ["alpha", "beta", "gamma", "delta", "pluma", "apache", "server", "filter", "\n"];
            var random = new Random(7);
            while (text.Length < 10_240)
            {
                text.Append(words[random.Next(words.Length)]).Append(' ');
            }

            File.WriteAllText(Path.Combine(www, "ten.txt"), text.ToString(0, 10_240));
        });
        _handler = _tree.Handler;
        _identity = Connection(_tree.Request("/ten.txt"));
        _gzip = Connection(_tree.Request("/ten.txt", "Accept-Encoding: gzip, deflate\r\n"));
        Serve(_identity);
        if (_identity.BytesSent < 10_240)
        {
            throw new InvalidOperationException("GET /ten.txt did not send the file (" + _identity.BytesSent + " bytes)");
        }

        Serve(_gzip);
        if (_gzip.BytesSent >= 10_240)
        {
            throw new InvalidOperationException("GET /ten.txt with gzip was not compressed (" + _gzip.BytesSent + " bytes)");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _tree?.Dispose();

    [Benchmark(Baseline = true)]
    public ConnectionStep TenKbTextIdentity() => Serve(_identity);

    [Benchmark]
    public ConnectionStep TenKbTextGzip() => Serve(_gzip);

    private BenchConnection Connection(byte[] request) => new(request) { RemoteEndPoint = _tree!.Client, LocalEndPoint = _tree.Local };

    private ConnectionStep Serve(BenchConnection c)
    {
        c.RequestCount = 10;
        c.Rewind();
        return _handler.Serve(c);
    }
}
