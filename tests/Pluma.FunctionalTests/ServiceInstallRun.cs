using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using Pluma.Testing;

namespace Pluma.FunctionalTests;

/// <summary>
/// One run of <c>scripts/install.sh</c> into a temporary DESTDIR (listening on a free loopback
/// port) followed by <see cref="ServiceInstallScript"/> under <c>unshare</c>, shared by the facts
/// of <see cref="ServiceInstallTests"/>. It never throws: what kept it from running is in
/// <see cref="Problem"/>, and the facts fail with it.
/// </summary>
public sealed class ServiceInstallRun : IDisposable
{
    // Everything "make install" puts on a machine: none of it may appear or vanish because of the test.
    private static readonly string[] s_realPaths =
    [
        "/etc/pluma", "/etc/init.d/pluma", "/etc/logrotate.d/pluma", "/usr/local/sbin/pluma",
        "/usr/local/sbin/apachectl", "/usr/local/lib/systemd/system/pluma.service", "/var/log/pluma",
        "/var/lib/pluma", "/run/pluma", "/run/lock/pluma",
    ];

    private readonly TempDirectory _work = new("pluma-service-");
    private readonly List<KeyValuePair<string, string>> _results = [];

    public ServiceInstallRun()
    {
        Problem = Prerequisites();
        if (Problem is not null)
        {
            return;
        }

        Port = FreePort.Next();
        SslPort = FreePort.Next();
        Dictionary<string, bool> before = RealPathsPresent();
        try
        {
            Problem = Install() ?? Drive();
        }
        finally
        {
            StopLeftOverServer();
            Dictionary<string, bool> after = RealPathsPresent();
            foreach (string path in s_realPaths)
            {
                if (before[path] != after[path])
                {
                    RealSystemChanges += $"{path} {(after[path] ? "appeared" : "vanished")}\n";
                }
            }
        }
    }

    /// <summary>Why the run could not happen (not root, no unshare, install failed), or null.</summary>
    public string? Problem { get; }

    /// <summary>The loopback port the installed tree listens on.</summary>
    public int Port { get; }

    /// <summary>The loopback port of the installed ports.conf's <c>&lt;IfModule ssl_module&gt; Listen</c> (SSL_LISTEN).</summary>
    public int SslPort { get; }

    /// <summary>The staged install (DESTDIR): its etc/pluma is the tree the namespace shows at /etc/pluma.</summary>
    public string Stage => _work.Combine("stage");

    /// <summary>Everything the install and the script printed, for assertion messages.</summary>
    public string Output { get; private set; } = "";

    /// <summary>The installed server's error log (/var/log/pluma/error.log inside the namespace).</summary>
    public string ErrorLog { get; private set; } = "";

    /// <summary>Paths of the real system whose existence changed during the run (empty when none).</summary>
    public string RealSystemChanges { get; } = "";

    /// <summary>Output and error log together: the message of every failed assertion.</summary>
    public string Transcript => $"{Output}\n=== /var/log/pluma/error.log\n{Shorten(ErrorLog)}";

    /// <summary>The first value of <c>RESULT key=value</c>, or null.</summary>
    public string? Result(string key)
    {
        foreach (var (k, v) in _results)
        {
            if (k == key)
            {
                return v;
            }
        }

        return null;
    }

    /// <summary>Every value of <c>RESULT key=value</c>, in order.</summary>
    public IReadOnlyList<string> Results(string key)
    {
        var values = new List<string>();
        foreach (var (k, v) in _results)
        {
            if (k == key)
            {
                values.Add(v);
            }
        }

        return values;
    }

    public void Dispose() => _work.Dispose();

    // Children that die at once are respawned every second: their lines would bury the rest.
    private static string Shorten(string log)
    {
        const int Head = 30, Tail = 10;
        string[] lines = log.Split('\n');
        return lines.Length <= Head + Tail + 1
            ? log
            : string.Join('\n', lines[..Head]) + $"\n(... {lines.Length - Head - Tail} lines ...)\n" + string.Join('\n', lines[^Tail..]);
    }

    private static string? Prerequisites()
    {
        // CI runs the functional tests as root; elsewhere this must fail loudly, not pass by skipping.
        if (!Environment.IsPrivilegedProcess)
        {
            return "ServiceInstallTests must run as root: they mount the staged install over /etc, /var, /run and "
                + "/usr/local inside a private mount namespace and start the server as root so that it can switch to www-data. "
                + "Run them as root (CI does): sudo dotnet test tests/Pluma.FunctionalTests --filter FullyQualifiedName~ServiceInstall";
        }

        string? init = new FileInfo("/proc/1/exe").LinkTarget;
        if (init is not null && init.Contains("systemd", StringComparison.Ordinal))
        {
            return $"PID 1 is {init}: there apachectl hands 'start' to systemctl, which cannot see an install that exists "
                + "only inside the test's mount namespace. This test proves the LSB path (service runs /etc/init.d/pluma); run it "
                + "where systemd is not PID 1, as CI does.";
        }

        foreach (string tool in (string[])["/usr/sbin/service", "/usr/bin/unshare", "/usr/bin/curl", "/usr/bin/timeout"])
        {
            if (!File.Exists(tool))
            {
                return $"{tool} is missing (packages init-system-helpers, util-linux, curl, coreutils).";
            }
        }

        if (!File.Exists(RepositoryPaths.PlumaBinary))
        {
            return RepositoryPaths.PlumaBinary + " is missing: run 'make' first.";
        }

        try
        {
            if (!File.ReadAllText("/etc/passwd").Contains("\nwww-data:", StringComparison.Ordinal))
            {
                return "there is no www-data user, which the installed envvars names as APACHE_RUN_USER.";
            }
        }
        catch (IOException e)
        {
            return "cannot read /etc/passwd: " + e.Message;
        }

        return null;
    }

    private string? Install()
    {
        var env = new Dictionary<string, string?>
        {
            ["DESTDIR"] = Stage,
            ["PREFIX"] = null,
            ["PORT"] = null,
            ["SSL_PORT"] = null,
            ["LISTEN"] = $"127.0.0.1:{Port}",
            // Where default-ssl serves once the script has run a2enmod ssl and a2ensite default-ssl.
            ["SSL_LISTEN"] = $"127.0.0.1:{SslPort}",
            ["PLUMA_BINARY"] = RepositoryPaths.PlumaBinary,
        };
        ProcessResult r = ProcessRunner.Run("sh", [Path.Combine(RepositoryPaths.Root, "scripts", "install.sh")], env);
        Output = "=== scripts/install.sh\n" + r.Combined;
        if (r.ExitCode != 0)
        {
            return $"install.sh failed with {r.ExitCode}:\n{r.Combined}";
        }

        // Nothing may start before the staged tree is known to listen on loopback only.
        string ports = File.ReadAllText(Path.Combine(Stage, "etc", "pluma", "ports.conf"));
        foreach (string line in ports.Split('\n'))
        {
            string t = line.Trim();
            if (t.StartsWith("Listen ", StringComparison.Ordinal) && !t.StartsWith("Listen 127.0.0.1:", StringComparison.Ordinal))
            {
                return "the staged ports.conf listens beyond loopback: " + t;
            }
        }

        return null;
    }

    private string? Drive()
    {
        string script = _work.Combine("service.sh");
        File.WriteAllText(script, ServiceInstallScript.Text.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        Directory.CreateDirectory(_work.Combine("scratch"));

        // timeout TERMs the script (whose trap stops the server by its pid file) and KILLs it 10 s later.
        ProcessResult r = ProcessRunner.Run("/usr/bin/timeout",
            ["--kill-after=10", "240", "/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", script, _work.Path, Port.ToString(CultureInfo.InvariantCulture), "/usr/local", SslPort.ToString(CultureInfo.InvariantCulture)],
            timeoutMs: 300_000);
        Output += $"=== unshare ... service.sh (exit {r.ExitCode})\n{r.Combined}";
        string errorLog = _work.Combine("log", "error.log");
        ErrorLog = File.Exists(errorLog) ? File.ReadAllText(errorLog) : "(none)";
        foreach (string line in r.StandardOutput.Split('\n'))
        {
            if (line.StartsWith("RESULT ", StringComparison.Ordinal) && line.IndexOf('=', StringComparison.Ordinal) is int eq and > 0)
            {
                _results.Add(new(line[7..eq], line[(eq + 1)..]));
            }
        }

        if (Result("setup") is string setup)
        {
            return "the namespace could not be set up: " + setup + "\n" + Output;
        }

        return r.ExitCode == 124 || r.ExitCode == 137 ? "the service script ran out of time:\n" + Transcript : null;
    }

    // The script stops the server itself; this covers a script that was killed before its trap ran.
    // The pid file lives in a folder of the test's (bound onto /run/pluma), and the pid is only
    // signalled when it still runs the installed pluma.
    private void StopLeftOverServer()
    {
        string pidFile = _work.Combine("run", "pluma.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
        {
            return;
        }

        for (int i = 0; i < 100 && IsInstalledPluma(pid); i++)
        {
            try
            {
                NativeSignals.Kill(pid, i < 50 ? NativeSignals.SIGTERM : NativeSignals.SIGKILL);
            }
            catch (InvalidOperationException)
            {
                return;
            }

            Thread.Sleep(100);
        }
    }

    private static bool IsInstalledPluma(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").StartsWith("/usr/local/sbin/pluma\0", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static Dictionary<string, bool> RealPathsPresent()
    {
        var present = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (string path in s_realPaths)
        {
            present[path] = File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;
        }

        return present;
    }
}
