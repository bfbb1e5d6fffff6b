using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace Pluma.Admin;

/// <summary>
/// Sources a shell fragment (Debian's <c>envvars</c>) the only faithful way: a shell runs it and prints
/// its environment, which is imported whole (so <c>unset HOME</c> in the file unsets it here too).
/// </summary>
public static class EnvVars
{
    /// <summary>The environment after <c>. file</c> in a shell started with <paramref name="start"/>, or
    /// null when the shell failed (Debian's tools die with "Could not read FILE").</summary>
    public static Dictionary<string, string>? Source(string file, IReadOnlyDictionary<string, string> start)
    {
        var psi = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(". \"$1\" && env");
        psi.ArgumentList.Add("sh");
        psi.ArgumentList.Add(file);
        psi.Environment.Clear();
        foreach (var (k, v) in start)
        {
            psi.Environment[k] = v;
        }

        using Process? p = Process.Start(psi);
        if (p is null)
        {
            return null;
        }

        p.StandardInput.Close();
        Task<string> err = p.StandardError.ReadToEndAsync();
        string text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        _ = err.Result;
        return p.ExitCode == 0 ? Parse(text) : null;
    }

    /// <summary><c>env</c> output to a dictionary; a line that does not start a NAME= continues the previous
    /// value (a value with a newline), where Debian's parser would give up.</summary>
    public static Dictionary<string, string> Parse(string text)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        string? last = null;
        foreach (string line in text.Split('\n'))
        {
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && IsName(line.AsSpan(0, eq)))
            {
                last = line[..eq];
                env[last] = line[(eq + 1)..];
            }
            else if (last is not null && line.Length > 0)
            {
                env[last] += "\n" + line;
            }
        }

        return env;
    }

    /// <summary>Reads <paramref name="file"/> into a copy of <paramref name="env"/> when the file is readable.</summary>
    public static Dictionary<string, string> SourceIfPresent(string file, IReadOnlyDictionary<string, string> env, out bool failed)
    {
        failed = false;
        if (File.Exists(file))
        {
            Dictionary<string, string>? sourced = Source(file, env);
            if (sourced is not null)
            {
                return sourced;
            }

            failed = true;
        }

        return new Dictionary<string, string>(env, StringComparer.Ordinal);
    }

    private static bool IsName(ReadOnlySpan<char> s)
    {
        if (s.Length == 0 || char.IsAsciiDigit(s[0]))
        {
            return false;
        }

        foreach (char c in s)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
