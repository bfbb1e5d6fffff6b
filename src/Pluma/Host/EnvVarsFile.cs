using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace Pluma.Host;

/// <summary>
/// Debian's envvars: a shell fragment that apache2ctl sources before starting apache2. Pluma
/// sources it too when started directly (the variables are missing), so `pluma` and `make run`
/// behave as `apachectl start` would.
/// </summary>
internal static class EnvVarsFile
{
    /// <summary>Imports the variables <c>ServerRoot/envvars</c> exports, unless apachectl already did.</summary>
    public static void ImportIfNeeded(string serverRoot)
    {
        string file = Environment.GetEnvironmentVariable("APACHE_ENVVARS") ?? Path.Combine(serverRoot, "envvars");
        if (Environment.GetEnvironmentVariable("APACHE_RUN_DIR") is not null || !File.Exists(file))
        {
            return;
        }

        bool homeKept = false;
        foreach (var (name, value) in Source(file, serverRoot))
        {
            Environment.SetEnvironmentVariable(name, value);
            homeKept |= name == "HOME";
        }

        if (!homeKept)
        {
            // Debian's envvars ends with "unset HOME".
            Environment.SetEnvironmentVariable("HOME", null);
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> Source(string file, string serverRoot)
    {
        var psi = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = serverRoot,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(". \"$1\" >&2 && env -0");
        psi.ArgumentList.Add("envvars");
        psi.ArgumentList.Add(file);
        psi.Environment["APACHE_CONFDIR"] = serverRoot;
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            yield break;
        }

        foreach (string entry in output.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && !entry.StartsWith("_=", StringComparison.Ordinal) && !entry.StartsWith("SHLVL=", StringComparison.Ordinal) && !entry.StartsWith("PWD=", StringComparison.Ordinal))
            {
                yield return new(entry[..eq], entry[(eq + 1)..]);
            }
        }
    }
}
