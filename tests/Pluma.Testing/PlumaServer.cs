using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace Pluma.Testing;

/// <summary>
/// The real bin/pluma started in the foreground on a tree (usually a <see cref="TempConfTree"/>),
/// stopped by its pid. Output is captured for assertions.
/// </summary>
public sealed class PlumaServer : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TempConfTree _tree;

    private PlumaServer(Process process, TempConfTree tree)
    {
        _process = process;
        _tree = tree;
        Port = tree.Port;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

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

    /// <summary>Starts <c>pluma -d TREE -D FOREGROUND</c> and waits until the port answers.</summary>
    public static PlumaServer Start(TempConfTree tree, IEnumerable<string>? extraArgs = null, int readyTimeoutMs = 15_000)
    {
        var psi = new ProcessStartInfo(RepositoryPaths.PlumaBinary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-d");
        psi.ArgumentList.Add(tree.ConfDir);
        psi.ArgumentList.Add("-D");
        psi.ArgumentList.Add("FOREGROUND");
        foreach (string a in extraArgs ?? [])
        {
            psi.ArgumentList.Add(a);
        }

        var server = new PlumaServer(Process.Start(psi)!, tree);
        server.WaitUntilReady(readyTimeoutMs, tree.PidFile);
        return server;
    }

    /// <summary>
    /// Starts <c>pluma -d TREE -D FOREGROUND</c> through <c>bash -c "SETUP; exec pluma ..."</c>
    /// (for example <c>ulimit -n 64</c>): exec keeps the pid, so the server is still stopped by it.
    /// </summary>
    public static PlumaServer StartUnderShell(TempConfTree tree, string shellSetup, int readyTimeoutMs = 15_000)
    {
        var psi = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(shellSetup + "; exec \"$0\" \"$@\"");
        psi.ArgumentList.Add(RepositoryPaths.PlumaBinary);
        psi.ArgumentList.Add("-d");
        psi.ArgumentList.Add(tree.ConfDir);
        psi.ArgumentList.Add("-D");
        psi.ArgumentList.Add("FOREGROUND");
        var server = new PlumaServer(Process.Start(psi)!, tree);
        server.WaitUntilReady(readyTimeoutMs, tree.PidFile);
        return server;
    }

    /// <summary>Sends a signal to the parent (kill(2) by pid).</summary>
    public void Signal(int signal) => NativeSignals.Kill(_process.Id, signal);

    /// <summary>Waits for the parent to exit.</summary>
    public bool WaitForExit(int timeoutMs) => _process.WaitForExit(timeoutMs);

    public void Dispose()
    {
        int pid = _process.Id;
        if (!_process.HasExited)
        {
            Signal(NativeSignals.SIGTERM);
            if (!_process.WaitForExit(12_000))
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }

        _process.Dispose();
        StopDaemonOfThePidFile(pid);
    }

    /// <summary>
    /// A test's <c>-k graceful</c> or <c>-k start</c> after the original parent died starts a
    /// daemon this object did not start: the pid file names it. It is stopped too, but only when
    /// /proc says it is bin/pluma serving this tree (a stale pid may belong to anything now).
    /// </summary>
    private void StopDaemonOfThePidFile(int startedPid)
    {
        if (!File.Exists(_tree.PidFile)
            || !int.TryParse(File.ReadAllText(_tree.PidFile).Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid)
            || pid == startedPid || !ServesThisTree(pid))
        {
            return;
        }

        NativeSignals.Kill(pid, NativeSignals.SIGTERM);
        var waited = Stopwatch.StartNew();
        while (ServesThisTree(pid))
        {
            if (waited.ElapsedMilliseconds > 12_000)
            {
                NativeSignals.Kill(pid, NativeSignals.SIGKILL);
                waited.Restart();
            }

            Thread.Sleep(50);
        }
    }

    private bool ServesThisTree(int pid)
    {
        string[] argv = ProcFs.CommandLine(pid);
        return argv.Length > 0 && Path.GetFileName(argv[0]) == "pluma" && Array.IndexOf(argv, _tree.ConfDir) >= 0
            && !ProcFs.IsZombie(pid);
    }

    /// <summary>
    /// Waits until the port accepts and the parent has written its pid file. The listeners are
    /// bound before the parent installs its signal handlers, and the pid file is written after
    /// them, so a test that signals the server (as apachectl does, by the pid file) never sends
    /// a signal the parent would still ignore.
    /// </summary>
    private void WaitUntilReady(int timeoutMs, string pidFile) =>
        ListenerWait.Until(_process, "pluma", Port, timeoutMs, () => File.Exists(pidFile), () => Output);

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
