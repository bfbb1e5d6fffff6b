using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace Pluma.Testing;

/// <summary>
/// Debian's real apache2 started in the foreground on a <see cref="TempConfTree"/> (the reference
/// side of the differential tests), stopped by the pid in its pid file, never by name.
/// </summary>
public sealed class DifferentialApache : IDisposable
{
    public const string Binary = "/usr/sbin/apache2";

    // As apache2ctl does: the tree's envvars sourced with APACHE_CONFDIR set. As root, Apache
    // refuses to serve as User root (AH00526 "not designed to serve pages while running as root"),
    // so its children run as www-data, Debian's packaged User.
    private const string Launch =
        ". \"$APACHE_CONFDIR/envvars\"\n" +
        "if [ -n \"$DIFFERENTIAL_RUN_USER\" ]; then export APACHE_RUN_USER=\"$DIFFERENTIAL_RUN_USER\" APACHE_RUN_GROUP=\"$DIFFERENTIAL_RUN_USER\"; fi\n" +
        "exec " + Binary + " -d \"$APACHE_CONFDIR\" -D FOREGROUND\n";

    private readonly Process _process;
    private readonly TempConfTree _tree;
    private readonly StringBuilder _output = new();

    private DifferentialApache(Process process, TempConfTree tree)
    {
        _process = process;
        _tree = tree;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port => _tree.Port;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts apache2 on <paramref name="tree"/> and waits until it listens and wrote its pid file.</summary>
    public static DifferentialApache Start(TempConfTree tree, int readyTimeoutMs = 15_000)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"Debian's apache2 is not installed ({Binary} is missing): apt-get install -y apache2");
        }

        bool root = Environment.UserName == "root";
        if (root && !OperatingSystem.IsWindows())
        {
            // Directory.CreateTempSubdirectory makes the tree 0700: www-data could not reach www/.
            File.SetUnixFileMode(tree.Top, (UnixFileMode)Convert.ToInt32("755", 8));
        }

        var psi = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Launch);
        psi.Environment["APACHE_CONFDIR"] = tree.ConfDir;
        psi.Environment["DIFFERENTIAL_RUN_USER"] = root ? "www-data" : "";

        var apache = new DifferentialApache(Process.Start(psi)!, tree);
        try
        {
            apache.WaitUntilReady(readyTimeoutMs);
        }
        catch
        {
            apache.Dispose();
            throw;
        }

        return apache;
    }

    /// <summary>SIGTERM to the pid in the pid file (the foreground parent), SIGKILL if it lingers.</summary>
    public void Dispose()
    {
        int pid = ReadPidFile() ?? _process.Id;
        if (!_process.HasExited)
        {
            TrySignal(pid, NativeSignals.SIGTERM);
            if (!_process.WaitForExit(12_000))
            {
                TrySignal(pid, NativeSignals.SIGKILL);
                _process.WaitForExit(5_000);
            }
        }

        _process.Dispose();
    }

    private void WaitUntilReady(int timeoutMs) =>
        ListenerWait.Until(_process, "apache2", Port, timeoutMs, () => ReadPidFile() is not null, () => Output + "\n" + _tree.ErrorLog);

    private int? ReadPidFile()
    {
        try
        {
            return int.TryParse(File.ReadAllText(_tree.PidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void TrySignal(int pid, int signal)
    {
        try
        {
            NativeSignals.Kill(pid, signal);
        }
        catch (InvalidOperationException)
        {
            // Already gone (ESRCH).
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
}
