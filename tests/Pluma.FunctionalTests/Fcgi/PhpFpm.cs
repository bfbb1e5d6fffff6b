using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Pluma.Testing;

namespace Pluma.FunctionalTests.Fcgi;

/// <summary>
/// Debian's php-fpm8.2 (package php8.2-fpm) in the foreground on a private configuration: one
/// pool on a unix socket and one on a loopback TCP port found by binding port 0, both in a
/// temporary folder. Stopped by its pid, never by name.
/// </summary>
internal sealed class PhpFpm : IDisposable
{
    public const string Binary = "/usr/sbin/php-fpm8.2";

    private readonly Process _process;
    private readonly TempDirectory _dir;
    private readonly StringBuilder _output = new();

    private PhpFpm(TempDirectory dir, Process process, int port)
    {
        _dir = dir;
        _process = process;
        Port = port;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The unix socket of the "sock" pool.</summary>
    public string SocketPath => Path.Combine(_dir.Path, "php-fpm.sock");

    /// <summary>The loopback TCP port of the "tcp" pool.</summary>
    public int Port { get; }

    public string Log => File.Exists(Path.Combine(_dir.Path, "php-fpm.log")) ? File.ReadAllText(Path.Combine(_dir.Path, "php-fpm.log")) : string.Empty;

    /// <summary>Starts php-fpm8.2, or throws naming the package when it is not installed.</summary>
    public static PhpFpm Start()
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"Debian's php-fpm8.2 is not installed ({Binary} is missing): apt-get install -y php8.2-fpm");
        }

        var dir = new TempDirectory("pluma-fpm-");
        int port = FreePort.Next();
        bool root = Environment.UserName == "root";
        string sock = Path.Combine(dir.Path, "php-fpm.sock");

        // The pools run as the invoking user (root needs -R and says so); the sockets are
        // world-writable so that apache2's and Pluma's www-data children can connect.
        string pool(string name, string listen) =>
            $"[{name}]\n" + (root ? "user = root\ngroup = root\n" : string.Empty) +
            $"listen = {listen}\nlisten.mode = 0666\npm = static\npm.max_children = 3\n" +
            "php_admin_value[error_log] =\nphp_admin_flag[log_errors] = on\nphp_admin_flag[display_errors] = off\n" +
            "php_admin_value[upload_max_filesize] = 8M\nphp_admin_value[post_max_size] = 16M\n";
        string conf = Path.Combine(dir.Path, "php-fpm.conf");
        File.WriteAllText(conf,
            $"[global]\npid = {dir.Path}/php-fpm.pid\nerror_log = {dir.Path}/php-fpm.log\ndaemonize = no\n\n" +
            pool("sock", sock) + "\n" + pool("tcp", "127.0.0.1:" + port));

        var psi = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-F");
        psi.ArgumentList.Add("-y");
        psi.ArgumentList.Add(conf);
        if (root)
        {
            psi.ArgumentList.Add("-R");
        }

        var fpm = new PhpFpm(dir, Process.Start(psi)!, port);
        try
        {
            fpm.WaitUntilReady();
        }
        catch
        {
            fpm.Dispose();
            throw;
        }

        return fpm;
    }

    private void WaitUntilReady() =>
        ListenerWait.Until(_process, "php-fpm8.2", Port, 15_000, () => File.Exists(SocketPath), () => Output + "\n" + Log);

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            NativeSignals.Kill(_process.Id, NativeSignals.SIGTERM);
            if (!_process.WaitForExit(10_000))
            {
                NativeSignals.Kill(_process.Id, NativeSignals.SIGKILL);
                _process.WaitForExit(5_000);
            }
        }

        _process.Dispose();
        _dir.Dispose();
    }
}
