using System.Diagnostics;
using System.IO;
using System.Threading;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Raw requests to Debian's apache2 and to bin/pluma with the same mod_setenvif, mod_env and
/// ErrorDocument configuration (<see cref="CoreConfigDifferentialServers.Conf"/>): the responses
/// must agree, and so must the probe log line that prints the request's environment variables.
/// </summary>
public sealed class CoreConfigDifferentialTests : IClassFixture<CoreConfigDifferentialServers>
{
    private const string Close = "Connection: close\r\n";

    private static readonly DifferentialCase[] s_cases =
    [
        new("setenvif: headers, captures, regex names, an earlier variable, SetEnv after", "GET /env/x%41y HTTP/1.1\r\nHost: localhost\r\nX-A: aab\r\nX-B: FOO\r\nX-C-Thing: yes\r\n" + Close + "\r\n"),
        new("setenvif: !var, method, per-directory rules before access control", "POST /loc HTTP/1.1\r\nHost: localhost\r\nX-Cz: yes\r\nX-A: aa\r\nX-Kill: yes\r\nContent-Length: 0\r\n" + Close + "\r\n"),
        new("setenvif: Require env refused when the rule does not match", "GET /loc HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("setenvif: a SetEnvIf value wins over SetEnv of the same name", "GET /env/s HTTP/1.0\r\nX-S: yes\r\nX-D: x\r\n\r\n"),
        new("setenvif: NoCase on name and value, escaped dot is literal", "GET /env/h HTTP/1.1\r\nHost: localhost\r\nX-H: a.b\r\n" + Close + "\r\n"),
        new("setenvif: escaped dot does not match another character", "GET /env/h HTTP/1.1\r\nHost: localhost\r\nX-H: axb\r\n" + Close + "\r\n"),
        new("env: UnsetEnv in a Location", "GET /env/unset/x HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("ErrorDocument: local path", "GET /ed/none HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("ErrorDocument: quoted text with spaces", "GET /ed/a HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("ErrorDocument: one bare word is text", "GET /ed/b HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("ErrorDocument: quoted local path", "GET /ed/c HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("ErrorDocument: full URL redirects", "GET /ed/d HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("ErrorDocument: default overrides the enclosing one", "GET /ed/e HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("ErrorDocument: a leading quote only", "GET /ed/f HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("ErrorDocument: single quotes", "GET /ed/g HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("ErrorDocument: a quote inside single quotes is text", "GET /ed/h HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("AcceptPathInfo On serves a file with trailing path", "GET /api-on/f.txt/extra HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("AcceptPathInfo Off refuses trailing path", "GET /api-off/f.txt/extra HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("AcceptPathInfo Default: the file handler refuses trailing path", "GET /api-default/f.txt/extra HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("LimitRequestBody in a Directory: GET with a larger body", "GET /lrb/f.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 20\r\n" + Close + "\r\n01234567890123456789"),
        new("LimitRequestBody in a Directory: POST with a larger body", "POST /lrb/f.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 20\r\n" + Close + "\r\n01234567890123456789"),
        new("LimitRequestBody in a Directory: larger body to a missing file", "POST /lrb/nofile HTTP/1.1\r\nHost: localhost\r\nContent-Length: 20\r\n" + Close + "\r\n01234567890123456789"),
        new("LimitRequestBody in a Directory: larger chunked body", "POST /lrb/f.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n" + Close + "\r\n14\r\n01234567890123456789\r\n0\r\n\r\n"),
        new("LimitRequestBody in a Directory: a body within the limit", "GET /lrb/f.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n" + Close + "\r\n01234"),
        new("MergeSlashes On (default): runs of slashes meet a Location", "GET //ms///denied HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("ErrorDocument: text on HEAD", "HEAD /ed/a HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n", HeadRequest: true),
    ];

    private readonly CoreConfigDifferentialServers _servers;

    public CoreConfigDifferentialTests(CoreConfigDifferentialServers servers)
    {
        _servers = servers;
    }

    public static TheoryData<int> Cases
    {
        get
        {
            var data = new TheoryData<int>();
            for (int i = 0; i < s_cases.Length; i++)
            {
                data.Add(i);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PlumaAnswersAndLogsAsDebiansApacheDoes(int index)
    {
        DifferentialCase c = s_cases[index];
        string apache = Exchange(_servers.ApacheTree.Port, _servers.ApacheTree.LogDir, c);
        string pluma = Exchange(_servers.PlumaTree.Port, _servers.PlumaTree.LogDir, c);
        if (apache != pluma)
        {
            Assert.Fail($"{c.Name}: Pluma differs from Debian's apache2.\n===== apache2 =====\n{apache}===== pluma =====\n{pluma}=====");
        }
    }

    [Fact]
    public void BothServersStartWithoutWarnings()
    {
        // The directives this configuration uses are built: no PL00001 "accepted but not implemented"
        // names them (Debian's AddOutputFilterByType and LanguagePriority may still be pending).
        string output = _servers.PlumaOutput + _servers.PlumaTree.ErrorLog;
        foreach (string directive in new[] { "SetEnvIf", "SetEnv ", "UnsetEnv", "BrowserMatch", "ErrorDocument", "AcceptPathInfo", "LimitRequestBody" })
        {
            Assert.DoesNotContain("PL00001: " + directive, output, StringComparison.Ordinal);
        }

        Assert.Contains("resuming normal operations", output, StringComparison.Ordinal);
    }

    /// <summary>The response transcript and the probe log line the request left.</summary>
    private static string Exchange(int port, string logDir, DifferentialCase c)
    {
        string log = Path.Combine(logDir, CoreConfigDifferentialServers.ProbeLog);
        int before = Lines(log).Length;
        string transcript = DifferentialExchange.Run(port, c);
        var sw = Stopwatch.StartNew();
        string[] lines = Lines(log);
        while (lines.Length <= before && sw.ElapsedMilliseconds < 10_000)
        {
            Thread.Sleep(50);
            lines = Lines(log);
        }

        return transcript + "log: " + (lines.Length > before ? lines[before] : "(no line)") + "\n";
    }

    private static string[] Lines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (IOException)
        {
            return [];
        }
    }
}
