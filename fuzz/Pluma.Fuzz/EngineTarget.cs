using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using Pluma.Connections;
using Pluma.Connections.Diagnostics;
using Pluma.Http;

namespace Pluma.Fuzz;

/// <summary>
/// Runs the whole HTTP engine (HttpConnectionHandler) over scripted input, as an MPM does:
/// Serve, and again while it asks to wait for the next request and bytes remain. The
/// application reads each body to its end and echoes it. Promises checked: the engine's own
/// safety nets never fire (PL00006/PL00007/PL00008 are bugs, not answers), every answer starts
/// with a status line unless the request was HTTP/0.9, and the bytes sent do not depend on how
/// the input was split.
/// </summary>
internal static partial class EngineTarget
{
    /// <summary>Bounds the Serve loop: each request consumes at least a line, so this is never reached by a sane engine.</summary>
    private const int MaxServeCalls = 10_000;

    public static EngineRun Serve(byte[] input)
    {
        EngineRun whole = ServeOnce([input]);
        int half = input.Length / 2;
        EngineRun halves = ServeOnce([input[..half], input[half..]]);
        Invariant.Check(halves.Output == whole.Output, "the engine's answer does not depend on split points");
        if (input.Length <= 2048)
        {
            var bytes = new List<byte[]>(input.Length);
            foreach (byte b in input)
            {
                bytes.Add([b]);
            }

            EngineRun trickle = ServeOnce(bytes);
            Invariant.Check(trickle.Output == whole.Output, "the engine's answer does not depend on split points (byte by byte)");
        }

        return whole;
    }

    public static EngineRun ServeOnce(IEnumerable<byte[]> pieces)
    {
        var app = new EchoApplication();
        var log = new RecordingErrorLog();
        var handler = new HttpConnectionHandler(app, new HttpServerOptions(), log);
        ScriptedConnection connection = ScriptedConnection.Create(pieces);
        ConnectionStep step = ConnectionStep.WaitForNextRequest;
        for (int calls = 0; step == ConnectionStep.WaitForNextRequest; calls++)
        {
            Invariant.Check(calls < MaxServeCalls, "the engine makes progress on every Serve");
            step = handler.Serve(connection);
        }

        foreach (string line in log.Lines)
        {
            Invariant.Check(!line.Contains("PL00006", StringComparison.Ordinal) && !line.Contains("PL00007", StringComparison.Ordinal) && !line.Contains("PL00008", StringComparison.Ordinal), "no engine safety net fired: " + line);
        }

        string output = DateLine().Replace(Encoding.Latin1.GetString(connection.Output), "Date: X\r\n");
        Invariant.Check(output.Length == 0 || output.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) || app.SawHttp09, "every answer starts with a status line (HTTP/0.9 aside)");
        return new EngineRun(output, app.Requests);
    }

    [GeneratedRegex("Date: [^\r]*\r\n")]
    private static partial Regex DateLine();

    internal sealed record EngineRun(string Output, List<RequestSeen> Requests);

    /// <summary>One request as the application saw it: its body when read to the end, else the status the body reader threw.</summary>
    internal sealed record RequestSeen(string Method, byte[]? Body, int RejectedWith);

    private sealed class EchoApplication : IHttpApplication
    {
        public List<RequestSeen> Requests { get; } = [];

        public bool SawHttp09 { get; private set; }

        public void ProcessRequest(HttpContext context)
        {
            SawHttp09 |= context.Request.ProtocolNumber == 9;
            using var body = new MemoryStream();
            Span<byte> buffer = stackalloc byte[1000];
            try
            {
                int n;
                while ((n = context.Request.Read(buffer)) > 0)
                {
                    body.Write(buffer[..n]);
                }
            }
            catch (HttpRequestRejectedException rejected)
            {
                Requests.Add(new RequestSeen(context.Request.Method, null, rejected.StatusCode));
                throw;
            }

            byte[] bytes = body.ToArray();
            Requests.Add(new RequestSeen(context.Request.Method, bytes, 0));
            context.Response.ContentType = "application/octet-stream";
            context.Response.Write(bytes);
        }

        public void LogRequest(HttpContext context)
        {
        }
    }

    private sealed class RecordingErrorLog : IErrorLog
    {
        public List<string> Lines { get; } = [];

        public bool IsEnabled(LogLevel level, string module) => true;

        public void Write(LogLevel level, string module, string message, string? client = null) => Lines.Add(message);
    }
}
