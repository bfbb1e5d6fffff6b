using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace Pluma.Admin;

/// <summary>Runs pluma (or systemctl, or a status browser) as apache2ctl runs apache2: a child with
/// the sourced environment whose exit code becomes the tool's.</summary>
internal static class ChildProcess
{
    // After the child exits, a daemon it left behind may still hold the pipes; don't wait for it.
    private static readonly TimeSpan s_drainLimit = TimeSpan.FromSeconds(5);

    /// <summary>Runs to completion; 127 when the program cannot be started, as a shell says.</summary>
    public static int Run(AdminContext context, string file, IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string> env, bool discardStderr = false, TextWriter? captureStdout = null)
    {
        bool inherit = context.InheritConsole;
        var psi = new ProcessStartInfo(ResolveOnPath(file, env))
        {
            UseShellExecute = false,
            RedirectStandardOutput = !inherit || captureStdout is not null,
            RedirectStandardError = !inherit || discardStderr,
            RedirectStandardInput = !inherit,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment.Clear();
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }

        Process? p;
        try
        {
            p = Process.Start(psi);
        }
        catch (Win32Exception e)
        {
            context.Error.WriteLine($"{file}: {e.Message}");
            return 127;
        }

        if (p is null)
        {
            return 127;
        }

        using (p)
        {
            if (psi.RedirectStandardInput)
            {
                p.StandardInput.Close();
            }

            var pumps = new List<Task>(2);
            if (psi.RedirectStandardOutput)
            {
                pumps.Add(Pump(p.StandardOutput, captureStdout ?? context.Out));
            }

            if (psi.RedirectStandardError)
            {
                pumps.Add(Pump(p.StandardError, discardStderr ? TextWriter.Null : context.Error));
            }

            p.WaitForExit();
            Task.WaitAll([.. pumps], s_drainLimit);
            return p.ExitCode;
        }
    }

    // A shell looks commands up on its own PATH, which envvars may have changed; Process.Start would
    // use this process's.
    private static string ResolveOnPath(string file, IReadOnlyDictionary<string, string> env)
    {
        if (file.Contains('/', StringComparison.Ordinal) || !env.TryGetValue("PATH", out string? path))
        {
            return file;
        }

        foreach (string dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, file);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return file;
    }

    private static async Task Pump(StreamReader from, TextWriter to)
    {
        char[] buffer = new char[4096];
        int n;
        while ((n = await from.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            lock (to)
            {
                to.Write(buffer, 0, n);
            }
        }
    }
}
