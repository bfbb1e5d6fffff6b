using System.IO;
using BenchmarkDotNet.Attributes;
using Microsoft.Win32.SafeHandles;
using Pluma.Connections;
using Pluma.Http;

namespace Pluma.Benchmarks;

/// <summary>
/// One whole keep-alive request per operation through <see cref="HttpConnectionHandler.Serve"/>
/// (read, parse, application, response, log), on a connection that stays open: the steady state
/// of a worker thread. Allocated bytes per operation are the per-request allocations.
/// </summary>
[MemoryDiagnoser]
public class ServeBenchmarks
{
    private static readonly byte[] s_curlKeepAlive = System.Text.Encoding.ASCII.GetBytes(
        "GET /index.html HTTP/1.1\r\nHost: localhost\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n");

    private static readonly byte[] s_revalidate = System.Text.Encoding.ASCII.GetBytes(
        "GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\nIf-Modified-Since: Fri, 02 Jan 2026 03:04:05 GMT\r\n\r\n");

    private static readonly byte[] s_range = System.Text.Encoding.ASCII.GetBytes(
        "GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\nRange: bytes=100-1099\r\n\r\n");

    private HttpConnectionHandler _hello = null!;
    private HttpConnectionHandler _files = null!;
    private HttpConnectionHandler _filesOpened = null!;
    private BenchConnection _openConnection = null!;
    private BenchConnection _helloConnection = null!;
    private BenchConnection _fileConnection = null!;
    private BenchConnection _revalidateConnection = null!;
    private BenchConnection _rangeConnection = null!;
    private string _folder = "";

    [GlobalSetup]
    public void Setup()
    {
        // MaxKeepAliveRequests 0: unlimited, so the connection never reaches its last request.
        var options = new HttpServerOptions { MaxKeepAliveRequests = 0 };
        _hello = new HttpConnectionHandler(new HelloApplication(), options);
        _folder = Path.Combine(Path.GetTempPath(), "pluma-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(_folder);
        string path = Path.Combine(_folder, "index.html");
        File.WriteAllBytes(path, new byte[4096]);
        File.SetLastWriteTimeUtc(path, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        _files = new HttpConnectionHandler(new FileApplication(path, openPerRequest: false), options);
        _filesOpened = new HttpConnectionHandler(new FileApplication(path, openPerRequest: true), options);
        _openConnection = BenchConnection.Create(s_curlKeepAlive);
        _helloConnection = BenchConnection.Create(s_curlKeepAlive);
        _fileConnection = BenchConnection.Create(s_curlKeepAlive);
        _revalidateConnection = BenchConnection.Create(s_revalidate);
        _rangeConnection = BenchConnection.Create(s_range);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Baseline = true)]
    public ConnectionStep HelloWorld() => Serve(_hello, _helloConnection);

    /// <summary>The responder alone: the handle stays open (as an open-file cache would keep it).</summary>
    [Benchmark]
    public ConnectionStep StaticFile4K() => Serve(_files, _fileConnection);

    /// <summary>Plus File.OpenHandle and its close per request, as a naive core handler does.</summary>
    [Benchmark]
    public ConnectionStep StaticFile4KOpenPerRequest() => Serve(_filesOpened, _openConnection);

    [Benchmark]
    public ConnectionStep StaticFileNotModified() => Serve(_files, _revalidateConnection);

    [Benchmark]
    public ConnectionStep StaticFileRange() => Serve(_files, _rangeConnection);

    private static ConnectionStep Serve(HttpConnectionHandler handler, BenchConnection connection)
    {
        connection.Rewind();
        return handler.Serve(connection);
    }

    private sealed class HelloApplication : IHttpApplication
    {
        public void ProcessRequest(HttpContext context)
        {
            context.Response.ContentType = "text/html";
            context.Response.Write("hello world"u8);
        }

        public void LogRequest(HttpContext context)
        {
        }
    }

    /// <summary>What the core handler will do: stat, open, respond, close.</summary>
    private sealed class FileApplication(string path, bool openPerRequest) : IHttpApplication
    {
        private readonly DateTime _mtime = File.GetLastWriteTimeUtc(path);
        private readonly SafeFileHandle _cached = File.OpenHandle(path);

        public void ProcessRequest(HttpContext context)
        {
            if (!openPerRequest)
            {
                StaticFileResponder.Respond(context, new StaticFile(_cached, 4096, _mtime, 0, "text/html"));
                return;
            }

            using SafeFileHandle handle = File.OpenHandle(path);
            StaticFileResponder.Respond(context, new StaticFile(handle, RandomAccess.GetLength(handle), _mtime, 0, "text/html"));
        }

        public void LogRequest(HttpContext context)
        {
        }
    }
}
