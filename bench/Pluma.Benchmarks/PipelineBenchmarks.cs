using BenchmarkDotNet.Attributes;
using Pluma.Connections;

namespace Pluma.Benchmarks;

/// <summary>
/// One keep-alive <c>GET /small.txt</c> (100 bytes) per operation through the real request
/// pipeline of a <see cref="PipelineTree"/> (built as a child builds it): vhost choice,
/// translate_name, the section walk, authz, mime, dir, the default handler with its open-file
/// cache, and the access log. <see cref="Tree"/> is one of <see cref="PipelineTree.Names"/>.
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private PipelineTree? _tree;
    private IConnectionHandler _handler = null!;
    private BenchConnection _connection = null!;

    [Params("bundled", "peers", "peers-htaccess")]
    public string Tree { get; set; } = "bundled";

    [GlobalSetup]
    public void Setup()
    {
        _tree = PipelineTree.Build(Tree);
        _handler = _tree.Handler;
        _connection = new BenchConnection(_tree.Request("/small.txt")) { RemoteEndPoint = _tree.Client, LocalEndPoint = _tree.Local };

        // One request outside the measurement: it must be a 200 with the file.
        _connection.Rewind();
        _handler.Serve(_connection);
        if (_connection.BytesSent < 100 + 100)
        {
            throw new InvalidOperationException("GET /small.txt did not send the file (" + _connection.BytesSent + " bytes)");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _tree?.Dispose();

    [Benchmark]
    public ConnectionStep SmallFileKeepAlive()
    {
        // Stay far from MaxKeepAliveRequests (100 in the bundled tree): every request keeps the connection.
        _connection.RequestCount = 10;
        _connection.Rewind();
        return _handler.Serve(_connection);
    }
}
