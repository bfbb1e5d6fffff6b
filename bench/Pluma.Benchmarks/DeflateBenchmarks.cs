using System.IO;
using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using Pluma.Connections;
using Pluma.Host;
using Pluma.Modules.Hosting;

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
    private IConnectionHandler _handler = null!;
    private BenchConnection _identity = null!;
    private BenchConnection _gzip = null!;
    private ErrorLogSet? _logs;
    private string _top = "";

    [GlobalSetup]
    public void Setup()
    {
        // A folder of its own per setup: --inProcess runs every case in one process.
        _top = Directory.CreateTempSubdirectory("pluma-deflate-bench-").FullName;
        string www = Path.Combine(_top, "www", "html");
        Directory.CreateDirectory(www);
        var text = new StringBuilder();
        string[] words = ["alpha", "beta", "gamma", "delta", "pluma", "apache", "server", "filter", "\n"];
        var random = new Random(7);
        while (text.Length < 10_240)
        {
            text.Append(words[random.Next(words.Length)]).Append(' ');
        }

        File.WriteAllText(Path.Combine(www, "ten.txt"), text.ToString(0, 10_240));
        string conf = Path.Combine(_top, "conf");
        PipelineBenchmarks.CopyTree(Path.Combine(PipelineBenchmarks.RepositoryRoot(), "conf"), conf);
        // Each setup sources its own tree's envvars (the previous case's tree is gone).
        Environment.SetEnvironmentVariable("APACHE_RUN_DIR", null);
        EnvVarsFile.ImportIfNeeded(conf);
        ConfigSession session = ConfigSession.LoadForRestart(new CommandLineOptions(), conf);
        _logs = new ErrorLogSet(session.Config.ServerRoot);
        _handler = RuntimeFactory.Build(session, _logs).Handler;
        _identity = Connection("GET /ten.txt HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n");
        _gzip = Connection("GET /ten.txt HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAccept-Encoding: gzip, deflate\r\n\r\n");
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
    public void Cleanup()
    {
        _logs?.Dispose();
        Directory.Delete(_top, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public ConnectionStep TenKbTextIdentity() => Serve(_identity);

    [Benchmark]
    public ConnectionStep TenKbTextGzip() => Serve(_gzip);

    private static BenchConnection Connection(string request) => new(Encoding.ASCII.GetBytes(request))
    {
        RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, 40000),
        LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 8080),
    };

    private ConnectionStep Serve(BenchConnection c)
    {
        c.RequestCount = 10;
        c.Rewind();
        return _handler.Serve(c);
    }
}
