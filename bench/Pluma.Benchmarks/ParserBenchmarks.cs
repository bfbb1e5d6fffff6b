using BenchmarkDotNet.Attributes;
using Pluma.Http;
using Pluma.Http.Internal;
using Pluma.Http.Protocol;

namespace Pluma.Benchmarks;

/// <summary>The request-head parser alone (start line and every field), on whole and split input.</summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    private readonly HttpServerOptions _options = new();
    private byte[] _request = [];

    [Params("curl", "browser", "header-heavy")]
    public string Request { get; set; } = "curl";

    [GlobalSetup]
    public void Setup() => _request = Request switch
    {
        "browser" => CannedRequests.Browser,
        "header-heavy" => CannedRequests.HeaderHeavy,
        _ => CannedRequests.Curl,
    };

    [Benchmark(Baseline = true)]
    public int WholeHead() => Parse(_request);

    /// <summary>The head arrives in two segments: the first parse stops short and is resumed.</summary>
    [Benchmark]
    public int SplitInTwoSegments()
    {
        // As the connection does: parse what came, then resume where the parser stopped.
        ReadOnlySpan<byte> first = _request.AsSpan(0, _request.Length / 2);
        int position = 0, fields = 0;
        var handler = new CountingHandler();
        ParseResult result = HttpParser.TakeStartLine(first, ref position, _options, out StartLine line, out _);
        if (result == ParseResult.Done)
        {
            HttpParser.TakeHeaders(first, ref position, ref fields, _options, ref handler, out _);
        }
        else if (HttpParser.TakeStartLine(_request, ref position, _options, out line, out _) != ParseResult.Done)
        {
            return -1;
        }

        HttpParser.TakeHeaders(_request, ref position, ref fields, _options, ref handler, out _);
        return line.TargetLength + handler.Count;
    }

    private int Parse(ReadOnlySpan<byte> data)
    {
        int position = 0, fields = 0;
        var handler = new CountingHandler();
        if (HttpParser.TakeStartLine(data, ref position, _options, out StartLine line, out _) != ParseResult.Done)
        {
            return -1;
        }

        HttpParser.TakeHeaders(data, ref position, ref fields, _options, ref handler, out _);
        return line.TargetLength + handler.Count;
    }

    private struct CountingHandler : IHttpHeadersHandler
    {
        public int Count;

        public void OnHeader(ReadOnlySpan<byte> buffer, int nameStart, int nameLength, int valueStart, int valueLength) => Count++;

        public readonly int OnContinuation(ReadOnlySpan<byte> buffer, int valueStart, int valueLength) => 0;
    }
}
