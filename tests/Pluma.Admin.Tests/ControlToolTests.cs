using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Pluma.Testing;

namespace Pluma.Admin.Tests;

/// <summary>apachectl against reference section 6.1, with a fake pluma that prints its arguments.</summary>
public sealed class ControlToolTests : IDisposable
{
    private const string Failed = "The Pluma error log may have more information.\n";
    private readonly AdminTree _tree = new();
    private readonly string _log;

    public ControlToolTests()
    {
        _log = _tree.Combine("pluma.log");
        // Prints and logs its arguments; "-t" fails when FAKE_T_FAIL is set; exits FAKE_RC.
        _tree.PlumaExecutable = _tree.WriteScript("fake-pluma", """
            echo "pluma $*"
            echo "$*" >> "$FAKE_LOG"
            env > "$FAKE_LOG.env"
            for a in "$@"; do
              if [ "$a" = "-t" ]; then
                if [ -n "$FAKE_T_FAIL" ]; then echo "AH00526: Syntax error on line 1 of x:" >&2; exit 1; fi
                echo "Syntax OK" >&2
              fi
            done
            exit ${FAKE_RC:-0}
            """);
        _tree.Environment["FAKE_LOG"] = _log;
    }

    private string D => "-d " + _tree.ConfDir + " ";

    public void Dispose() => _tree.Dispose();

    private string[] Calls() => File.ReadAllLines(_log);

    [Theory]
    [InlineData]
    [InlineData("help")]
    [InlineData("usage")]
    [InlineData("--help")]
    public void UsageGoesToStderrWithExitOne(params string[] args)
    {
        ToolResult r = _tree.Run("apachectl", args);

        Assert.Equal(1, r.ExitCode);
        Assert.Equal(string.Empty, r.Out);
        Assert.Equal(
            "Usage: apachectl start|stop|restart|graceful|graceful-stop|configtest|status|fullstatus|help\n" +
            "       apachectl <pluma args>\n" +
            "       apachectl -h            (for help on <pluma args>)\n",
            r.Err);
        Assert.False(File.Exists(_log));
    }

    [Theory]
    [InlineData("start")]
    [InlineData("stop")]
    [InlineData("graceful-stop")]
    public void VerbsRunPlumaWithDashK(string verb)
    {
        ToolResult r = _tree.Run("apache2ctl", verb);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal($"pluma {D}-k {verb}\n", r.Out);
        Assert.Equal([$"{D}-k {verb}"], Calls());
    }

    [Fact]
    public void AdviseRunsPlumaDashKAdviseWithItsOptions()
    {
        ToolResult r = _tree.Run("apachectl", "advise", "--apply", "--mpm", "prefork");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal([$"{D}-k advise --apply --mpm prefork"], Calls());
    }

    [Fact]
    public void TheDefaultTreeIsNotNamedWithDashD()
    {
        _tree.DefaultConfDir = _tree.ConfDir;

        Assert.Equal("pluma -k stop\n", _tree.Run("apachectl", "stop").Out);
    }

    [Theory]
    [InlineData("restart")]
    [InlineData("graceful")]
    public void RestartAndGracefulTestTheConfigurationSilentlyFirst(string verb)
    {
        ToolResult r = _tree.Run("apachectl", verb);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal([$"{D}-t", $"{D}-k {verb}"], Calls());
        Assert.Equal(string.Empty, r.Err); // the first -t's "Syntax OK" went nowhere
    }

    [Fact]
    public void ABrokenConfigurationIsShownAndNothingIsSignalled()
    {
        _tree.Environment["FAKE_T_FAIL"] = "1";

        ToolResult r = _tree.Run("apachectl", "graceful");

        Assert.Equal(1, r.ExitCode);
        Assert.Equal([$"{D}-t", $"{D}-t"], Calls());
        Assert.Equal("AH00526: Syntax error on line 1 of x:\n", r.Err);
        Assert.EndsWith("Action 'graceful' failed.\n" + Failed, r.Out);
    }

    [Fact]
    public void ConfigtestIsDashT()
    {
        ToolResult r = _tree.Run("apachectl", "configtest");

        Assert.Equal([$"{D}-t"], Calls());
        Assert.Equal("Syntax OK\n", r.Err);
    }

    [Fact]
    public void OtherArgumentsPassThroughAndFailuresAreReported()
    {
        _tree.Environment["FAKE_RC"] = "3";

        ToolResult r = _tree.Run("apachectl", "-k", "start", "-X");

        Assert.Equal(3, r.ExitCode);
        Assert.Equal($"pluma {D}-k start -X\nAction '-k start -X' failed.\n" + Failed, r.Out);
    }

    [Fact]
    public void EnvvarsIsSourcedBeforePlumaRuns()
    {
        _tree.Environment["HOME"] = "/root";

        _tree.Run("apachectl", "start");

        string env = File.ReadAllText(_log + ".env");
        Assert.Contains($"APACHE_RUN_DIR={_tree.Root}/var/run\n", env);
        Assert.Contains($"APACHE_CONFDIR={_tree.ConfDir}\n", env);
        Assert.DoesNotContain("\nHOME=", "\n" + env); // envvars unsets it
        Assert.True(Directory.Exists(_tree.Combine("var", "run", "socks")));
        Assert.True(Directory.Exists(_tree.Combine("var", "lock")));
    }

    [Fact]
    public void ApacheEnvvarsNamesAnotherFileAndApacheArgumentsAreAdded()
    {
        string envvars = _tree.Combine("other-envvars");
        File.WriteAllText(envvars, $"export APACHE_RUN_DIR={_tree.Root}/run2\nexport APACHE_LOCK_DIR={_tree.Root}/lock2\nexport APACHE_ARGUMENTS='-D FOO -e debug'\n");
        _tree.Environment["APACHE_ENVVARS"] = envvars;

        ToolResult r = _tree.Run("apachectl", "stop");

        Assert.Equal($"pluma {D}-D FOO -e debug -k stop\n", r.Out);
        Assert.True(Directory.Exists(_tree.Combine("run2", "socks")));
    }

    [Fact]
    public void UnderSystemdStartDelegatesToSystemctl()
    {
        _tree.Systemd = true;
        string bin = _tree.Combine("fakebin");
        Directory.CreateDirectory(bin);
        _tree.WriteScript("fakebin/systemctl", "echo \"systemctl $*\"\n");
        _tree.Environment["PATH"] = bin + ":" + _tree.Environment["PATH"];

        ToolResult r = _tree.Run("apachectl", "start");

        Assert.Equal("Invoking 'systemctl start pluma'.\nUse 'systemctl status pluma' for more info.\nsystemctl start pluma\n", r.Out);
        Assert.False(File.Exists(_log));
    }

    [Fact]
    public void StartedBySystemdStartsPlumaWithoutTheMarker()
    {
        _tree.Systemd = true;
        _tree.Environment["APACHE_STARTED_BY_SYSTEMD"] = "true";

        ToolResult r = _tree.Run("apachectl", "start");

        Assert.Equal($"pluma {D}-k start\n", r.Out);
        Assert.DoesNotContain("APACHE_STARTED_BY_SYSTEMD", File.ReadAllText(_log + ".env"));
    }

    [Fact]
    public void StatusPrintsThePageUpToTheScoreboardKey()
    {
        using var server = new OneShotHttpServer(StatusHtml);
        _tree.Environment["APACHE_STATUSURL"] = server.Url;

        ToolResult r = _tree.Run("apachectl", "status");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("   Server MPM: event\n", r.Out);
        Assert.EndsWith("\"_\" Waiting for Connection, \".\" Open slot with no current process\n", r.Out);
        Assert.DoesNotContain("Srv", r.Out);
        Assert.StartsWith("GET /server-status HTTP/1.0\r\n", server.Request);
    }

    [Fact]
    public void FullstatusPrintsTheWholePage()
    {
        using var server = new OneShotHttpServer(StatusHtml);
        _tree.Environment["APACHE_STATUSURL"] = server.Url;

        ToolResult r = _tree.Run("apachectl", "fullstatus");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Srv PID Acc", r.Out);
    }

    [Fact]
    public void StatusOfAStoppedServerFails()
    {
        _tree.Environment["APACHE_STATUSURL"] = $"http://127.0.0.1:{FreePort.Next()}/server-status";

        ToolResult r = _tree.Run("apachectl", "status");

        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("Fetching http://127.0.0.1:", r.Err);
    }

    private const string StatusHtml = """
        <!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">
        <html><head>
        <title>Apache Status</title>
        </head><body>
        <h1>Apache Server Status for localhost (via 127.0.0.1)</h1>

        <dl><dt>Server Version: Apache/2.4.71 (Debian)</dt>
        <dt>Server MPM: event</dt>
        </dl><hr /><dl>
        <dt>1 requests currently being processed, 74 idle workers</dt>
        </dl><pre>W___
        ....</pre>
        <p>Scoreboard Key:<br />
        "<b><code>_</code></b>" Waiting for Connection,
        "<b><code>.</code></b>" Open slot with no current process<br />
        </p>
        <table border="0"><tr><th>Srv</th><th>PID</th><th>Acc</th></tr>
        <tr><td><b>0-0</b></td><td>123</td><td>0/1/1</td></tr>
        </table>
        </body></html>
        """;

    /// <summary>Answers one HTTP request on 127.0.0.1 with a fixed page and remembers the request.</summary>
    private sealed class OneShotHttpServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Task _serve;

        public OneShotHttpServer(string html)
        {
            _listener.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/server-status";
            _serve = Task.Run(async () =>
            {
                using TcpClient client = await _listener.AcceptTcpClientAsync();
                using NetworkStream s = client.GetStream();
                var buffer = new byte[4096];
                var request = new StringBuilder();
                while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    int n = await s.ReadAsync(buffer);
                    if (n == 0)
                    {
                        break;
                    }

                    request.Append(Encoding.ASCII.GetString(buffer, 0, n));
                }

                Request = request.ToString();
                byte[] body = Encoding.UTF8.GetBytes(html);
                await s.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"));
                await s.WriteAsync(body);
            });
        }

        public string Url { get; }

        public string Request { get; private set; } = string.Empty;

        public void Dispose()
        {
            _serve.Wait(TimeSpan.FromSeconds(10));
            _listener.Stop();
        }
    }
}
