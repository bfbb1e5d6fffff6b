using System.Threading.Tasks;
using System.IO;
using System.Net.Http;
using System.Text;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Cgi;

/// <summary>
/// mod_cgi (prefork) and mod_cgid (worker, event) end to end: Debian's serve-cgi-bin.conf shape
/// (ScriptAlias /cgi-bin/ with +ExecCGI), shell and Perl scripts, on each MPM.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CgiTests
{
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private sealed class Server : IDisposable
    {
        public Server(string mpm)
        {
            Tree = new TempConfTree();
            Tree.SwitchMpm(mpm);
            CgiBin = Path.Combine(Tree.Top, "cgi-bin");
            Directory.CreateDirectory(CgiBin);
            Script("env.cgi", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nenv\n");
            Script("post.pl", "#!/usr/bin/perl\nbinmode STDIN; local $/; my $b = <STDIN>; $b = '' unless defined $b;\nprint \"Content-Type: text/plain\\nX-Len: \", length($b), \"\\n\\n\", $b;\n");
            Script("nph-raw.cgi", "#!/bin/sh\nprintf 'HTTP/1.0 299 Raw\\r\\nX-Nph: yes\\r\\n\\r\\nraw body'\n");
            Script("status.cgi", "#!/bin/sh\nprintf 'Status: 418 Short And Stout\\nContent-Type: text/plain\\n\\nteapot'\n");
            Script("local.cgi", "#!/bin/sh\nprintf 'Location: /cgi-bin/env.cgi?from=local\\n\\n'\n");
            Script("external.cgi", "#!/bin/sh\nprintf 'Location: http://example.org/x\\n\\n'\n");
            Script("stderr.cgi", "#!/bin/sh\necho 'a line on stderr' >&2\nprintf 'Content-Type: text/plain\\n\\nok'\n");
            Script("bad.cgi", "#!/bin/sh\nprintf 'not a header\\n\\n'\n");
            Script("fds.pl", "#!/usr/bin/perl\nprint \"Content-Type: text/plain\\n\\n\";\nfor my $f (glob('/proc/self/fd/*')) { my $t = readlink($f) // ''; (my $n = $f) =~ s{.*/}{}; print \"$n $t\\n\"; }\n");
            Script("silent.cgi", "#!/bin/sh\nsleep 30\n");
            Script("dies.cgi", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nprintf 'partial'\nsleep 0.3\nkill -9 $$\n");
            File.WriteAllText(Path.Combine(Tree.DocumentRoot, "noexec.cgi"), "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nran'\n");
            File.SetUnixFileMode(Path.Combine(Tree.DocumentRoot, "noexec.cgi"), (UnixFileMode)0b111_101_101);
            string module = mpm == "prefork" ? "LoadModule cgi_module /usr/lib/apache2/modules/mod_cgi.so" : "LoadModule cgid_module /usr/lib/apache2/modules/mod_cgid.so\nScriptSock " + Path.Combine(Tree.Top, "cgisock");
            Tree.AppendToMainConfig(module + "\nTimeout 3\nScriptLog " + Path.Combine(Tree.LogDir, "script.log") + "\n" +
                "ScriptAlias /cgi-bin/ " + CgiBin + "/\n<Directory \"" + CgiBin + "\">\nAllowOverride None\nOptions +ExecCGI -MultiViews +SymLinksIfOwnerMatch\nRequire all granted\n</Directory>\n" +
                "AddHandler cgi-script .cgi\n");
            // Apache opens the ScriptLog in the child, as User: it must be writable by it.
            string scriptLog = Path.Combine(Tree.LogDir, "script.log");
            File.WriteAllText(scriptLog, string.Empty);
            File.SetUnixFileMode(scriptLog, (UnixFileMode)0b110_110_110);
            Process = PlumaServer.Start(Tree);
            Client = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:" + Tree.Port), Timeout = TimeSpan.FromSeconds(20) };
        }

        public TempConfTree Tree { get; }

        public string CgiBin { get; }

        public PlumaServer Process { get; }

        public HttpClient Client { get; }

        public void Dispose()
        {
            Client.Dispose();
            Process.Dispose();
            Tree.Dispose();
        }

        private void Script(string name, string text)
        {
            string path = Path.Combine(CgiBin, name);
            File.WriteAllText(path, text);
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }
    }

    [Theory]
    [InlineData("prefork")]
    [InlineData("worker")]
    [InlineData("event")]
    public async Task ScriptsRunOnEveryMpm(string mpm)
    {
        using var s = new Server(mpm);

        // The CGI/1.1 environment.
        string env = await s.Client.GetStringAsync("/cgi-bin/env.cgi/extra/path?a=1&b=2");
        Assert.Contains("GATEWAY_INTERFACE=CGI/1.1", env);
        Assert.Contains("QUERY_STRING=a=1&b=2", env);
        Assert.Contains("SCRIPT_NAME=/cgi-bin/env.cgi\n", env);
        Assert.Contains("PATH_INFO=/extra/path\n", env);
        Assert.Contains("REQUEST_URI=/cgi-bin/env.cgi/extra/path?a=1&b=2\n", env);
        Assert.Contains("SCRIPT_FILENAME=" + s.CgiBin + "/env.cgi\n", env);
        Assert.Contains("CONTEXT_PREFIX=/cgi-bin/\n", env);
        Assert.Contains("SERVER_PORT=" + s.Tree.Port + "\n", env);
        Assert.Contains("REMOTE_ADDR=127.0.0.1\n", env);
        Assert.Contains("REQUEST_METHOD=GET\n", env);

        // A POST body, with a length and chunked, reaches stdin whole.
        string body = new('x', 100_000);
        using (var r = await s.Client.PostAsync("/cgi-bin/post.pl", new StringContent(body)))
        {
            Assert.Equal("100000", Assert.Single(r.Headers.GetValues("X-Len")));
            Assert.Equal(body, await r.Content.ReadAsStringAsync());
        }

        using (var c = new RawHttp(s.Tree.Port))
        {
            c.Send("POST /cgi-bin/post.pl HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            string text = c.ReadToEnd();
            Assert.Contains("X-Len: 11", text);
            Assert.EndsWith("hello world", text.TrimEnd('\r', '\n', '0'));
        }

        // NPH: the script's bytes are the response.
        using (var c = new RawHttp(s.Tree.Port))
        {
            c.Send("GET /cgi-bin/nph-raw.cgi HTTP/1.1\r\nHost: localhost\r\n\r\n");
            Assert.Equal("HTTP/1.0 299 Raw\r\nX-Nph: yes\r\n\r\nraw body", c.ReadToEnd());
        }

        // Status: and Location:.
        using (var r = await s.Client.GetAsync("/cgi-bin/status.cgi"))
        {
            Assert.Equal(418, (int)r.StatusCode);
            Assert.Equal("Short And Stout", r.ReasonPhrase);
        }

        using (var c = new RawHttp(s.Tree.Port))
        {
            c.Send("POST /cgi-bin/local.cgi HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc");
            string text = c.ReadToEnd();
            Assert.StartsWith("HTTP/1.1 200", text);
            Assert.Contains("REQUEST_METHOD=GET\n", text); // a local redirect is a GET
            Assert.Contains("QUERY_STRING=from=local\n", text);
        }

        using (var c = new RawHttp(s.Tree.Port))
        {
            c.Send("GET /cgi-bin/external.cgi HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            string text = c.ReadToEnd();
            Assert.StartsWith("HTTP/1.1 302 Found", text);
            Assert.Contains("Location: http://example.org/x\r\n", text);
        }

        // stderr to the error log, a malformed head to a 500 and the ScriptLog.
        Assert.Equal("ok", await s.Client.GetStringAsync("/cgi-bin/stderr.cgi"));
        using (var r = await s.Client.GetAsync("/cgi-bin/bad.cgi"))
        {
            Assert.Equal(500, (int)r.StatusCode);
        }

        // No descriptor of the server (listener, client socket, log) reaches a script.
        string fds = await s.Client.GetStringAsync("/cgi-bin/fds.pl");
        Assert.DoesNotContain("socket:", fds);
        Assert.DoesNotContain(".log", fds);

        // ExecCGI off: AddHandler alone does not run a script.
        using (var r = await s.Client.GetAsync("/noexec.cgi"))
        {
            Assert.Equal(403, (int)r.StatusCode);
        }

        string tag = mpm == "prefork" ? "cgi" : "cgid";
        string log = await WaitForLog(s.Tree, "AH02809");
        Assert.Contains("[" + tag + ":error]", log);
        Assert.Contains("AH01215: stderr from " + s.CgiBin + "/stderr.cgi: a line on stderr", log); // Apache 2.4.71's mod_cgi wording
        Assert.Contains("malformed header from script 'bad.cgi': Bad header: not a header", log);
        Assert.Contains("AH02809: Options ExecCGI is off in this directory: " + s.Tree.DocumentRoot + "/noexec.cgi", log);
        string scriptLog = File.ReadAllText(Path.Combine(s.Tree.LogDir, "script.log"));
        Assert.Contains("%% 500 " + s.CgiBin + "/bad.cgi", scriptLog);
    }

    [Fact]
    public async Task ASilentScriptIsKilledAfterTimeoutWith504()
    {
        using var s = new Server("event");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using (var r = await s.Client.GetAsync("/cgi-bin/silent.cgi"))
        {
            Assert.Equal(504, (int)r.StatusCode);
        }

        Assert.InRange(watch.Elapsed.TotalSeconds, 2.5, 12);
        string log = await WaitForLog(s.Tree, "Script timed out before returning headers: silent.cgi");
        Assert.Contains("AH01220: Timeout waiting for output from CGI script " + s.CgiBin + "/silent.cgi", log);
    }

    [Fact]
    public void AScriptThatDiesMidResponseClosesTheConnectionWithoutTheLastChunk()
    {
        using var s = new Server("event");
        using var c = new RawHttp(s.Tree.Port);
        c.Send("GET /cgi-bin/dies.cgi HTTP/1.1\r\nHost: localhost\r\n\r\n");
        string text = c.ReadToEnd(); // returns only because the server closes
        Assert.Contains("Transfer-Encoding: chunked", text);
        Assert.Contains("partial", text);
        Assert.DoesNotContain("\r\n0\r\n\r\n", text);
    }

    [Fact]
    public async Task DebiansServeCgiBinConfWorksUnmodified()
    {
        // The bundled copy of Debian's conf-available/serve-cgi-bin.conf, as a2enconf enables it.
        using var tree = new TempConfTree();
        tree.SwitchMpm("event");
        string repoConf = Path.Combine(RepoRoot(), "conf", "conf-available", "serve-cgi-bin.conf");
        tree.WriteConf("serve-cgi-bin.conf", File.ReadAllText(repoConf));
        tree.AppendToMainConfig("LoadModule cgid_module /usr/lib/apache2/modules/mod_cgid.so\nInclude " + Path.Combine(tree.ConfDir, "serve-cgi-bin.conf"));
        using var server = PlumaServer.Start(tree);
        using var client = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:" + tree.Port) };
        using var r = await client.GetAsync("/cgi-bin/pluma-test-missing.cgi");
        Assert.Equal(404, (int)r.StatusCode);
        string log = await WaitForLog(tree, "pluma-test-missing.cgi");
        Assert.Contains("/usr/lib/cgi-bin/pluma-test-missing.cgi", log); // ScriptAlias /cgi-bin/ mapped it
    }

    private static string RepoRoot()
    {
        string dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Pluma.slnx")))
        {
            dir = Path.GetDirectoryName(dir)!;
        }

        return dir;
    }

    private static async Task<string> WaitForLog(TempConfTree tree, string needle)
    {
        for (int i = 0; i < 50 && !tree.ErrorLog.Contains(needle, StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }

        return tree.ErrorLog;
    }
}
