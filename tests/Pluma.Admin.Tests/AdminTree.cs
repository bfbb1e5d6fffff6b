using System.Collections.Generic;
using System.IO;
using Pluma.Admin;
using Pluma.Testing;

namespace Pluma.Admin.Tests;

/// <summary>What one tool run printed and returned.</summary>
public sealed record ToolResult(int ExitCode, string Out, string Err)
{
    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// A private copy of the repository's conf/ tree (symlinks preserved, as <c>cp -a</c> does) with its own
/// state directory, on which the admin tools run in-process.
/// </summary>
public sealed class AdminTree : IDisposable
{
    private readonly TempDirectory _temp = new("pluma-admin-");

    public AdminTree()
    {
        ConfDir = _temp.Combine("conf");
        StateDir = _temp.Combine("state");
        ProcessResult copy = ProcessRunner.Run("cp", ["-a", RepositoryPaths.ConfTree, ConfDir]);
        Assert.Equal(0, copy.ExitCode);
    }

    public string Root => _temp.Path;

    public string ConfDir { get; }

    public string StateDir { get; }

    public bool Systemd { get; set; }

    public string PlumaExecutable { get; set; } = "/nonexistent/pluma";

    public string DefaultConfDir { get; set; } = "/nonexistent/default-conf";

    /// <summary>Writes an executable shell script under the tree's root and returns its path.</summary>
    public string WriteScript(string name, string body)
    {
        string path = Combine(name);
        File.WriteAllText(path, "#!/bin/sh\n" + body);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return path;
    }

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal)
    {
        ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    };

    public string Combine(params string[] parts) => _temp.Combine(parts);

    public string ModsEnabled(string name) => Path.Combine(ConfDir, "mods-enabled", name);

    public ToolResult Run(string tool, params string[] args) => RunWithInput(tool, string.Empty, args);

    public ToolResult RunWithInput(string tool, string stdin, params string[] args)
    {
        var env = new Dictionary<string, string>(Environment, StringComparer.Ordinal)
        {
            ["APACHE_CONFDIR"] = ConfDir,
            ["PLUMA_STATE_DIR"] = StateDir,
        };
        foreach (var (k, v) in Environment)
        {
            env[k] = v;
        }

        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var context = new AdminContext
        {
            Out = stdout,
            Error = stderr,
            In = new StringReader(stdin),
            Environment = env,
            PlumaExecutable = PlumaExecutable,
            DefaultConfDir = DefaultConfDir,
            DefaultStateDir = "/nonexistent/default-state",
            IsSystemd = Systemd,
        };
        Assert.True(AdminTools.TryRun(tool, args, context, out int rc));
        return new ToolResult(rc, stdout.ToString(), stderr.ToString());
    }

    public void Dispose() => _temp.Dispose();
}
