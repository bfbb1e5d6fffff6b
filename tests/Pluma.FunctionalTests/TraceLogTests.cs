using System.Diagnostics;
using System.IO;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// LogLevel trace1-trace8, for all modules and per module: the trace lines of the request
/// phases carry Apache's module tag, level and wording (as Debian's apache2 writes them, less
/// its source file and line), and a module's own level decides alone for its lines.
/// </summary>
public sealed class TraceLogTests
{
    [Fact]
    public void Trace8LogsTheRequestPhasesInApachesWords()
    {
        string log = ErrorLogAfterOneRequest("LogLevel trace8\nSetEnvIf Request_URI ^/files traced-var\n");
        Assert.Contains("[core:trace5]", log, StringComparison.Ordinal);
        Assert.Contains("Request received from client: GET /files/small.txt HTTP/1.1", log, StringComparison.Ordinal);
        Assert.Contains("[http:trace4]", log, StringComparison.Ordinal);
        Assert.Contains("Headers received from client:", log, StringComparison.Ordinal);
        Assert.Contains("  X-Trace: yes", log, StringComparison.Ordinal);
        Assert.Contains("[setenvif:trace2]", log, StringComparison.Ordinal);
        Assert.Contains("Setting traced-var", log, StringComparison.Ordinal);
        Assert.Contains("request authorized without authentication by access_checker_ex hook: /files/small.txt", log, StringComparison.Ordinal);
    }

    [Fact]
    public void APerModuleLevelTracesOnlyThatModule()
    {
        string log = ErrorLogAfterOneRequest("LogLevel warn setenvif:trace2\nSetEnvIf Request_URI ^/files traced-var\n");
        Assert.Contains("[setenvif:trace2]", log, StringComparison.Ordinal);
        Assert.DoesNotContain("[core:trace", log, StringComparison.Ordinal);
        Assert.DoesNotContain("[http:trace", log, StringComparison.Ordinal);
    }

    private static string ErrorLogAfterOneRequest(string conf)
    {
        using var tree = new TempConfTree();
        tree.WriteConf(Path.Combine("conf-enabled", "zz-trace.conf"), conf);
        Directory.CreateDirectory(Path.Combine(tree.DocumentRoot, "files"));
        File.WriteAllText(Path.Combine(tree.DocumentRoot, "files", "small.txt"), "hello\n");
        using var pluma = PlumaServer.Start(tree);
        using (var c = new RawHttp(tree.Port))
        {
            c.Send("GET /files/small.txt HTTP/1.1\r\nHost: localhost\r\nX-Trace: yes\r\nConnection: close\r\n\r\n");
            Assert.Equal(200, c.ReadResponse().Status);
        }

        // The lines are written before the response; wait a little for the file in any case.
        var sw = Stopwatch.StartNew();
        string log = tree.ErrorLog;
        while (!log.Contains("traced-var", StringComparison.Ordinal) && sw.ElapsedMilliseconds < 10_000)
        {
            Thread.Sleep(50);
            log = tree.ErrorLog;
        }

        return log;
    }
}
