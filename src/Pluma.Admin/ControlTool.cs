using System.Collections.Generic;
using System.IO;

namespace Pluma.Admin;

/// <summary>
/// apachectl / apache2ctl: sources envvars, prepares the run and lock directories, and runs
/// <c>pluma -k VERB</c> (or passes any other arguments through) exactly where Debian's apache2ctl runs
/// apache2. A non-zero result prints <c>Action '...' failed.</c> and the error-log line on stdout.
/// </summary>
internal sealed class ControlTool(AdminContext context, string invocationName)
{
    // The second line of the failure message names Pluma: its error log is Pluma's (/var/log/pluma),
    // and "the Apache error log" would send an admin to /var/log/apache2 on a machine that has both.
    internal const string ErrorLogHint = "The Pluma error log may have more information.";

    private const string DefaultStatusUrl = "http://localhost:80/server-status";

    public int Run(string[] args)
    {
        string joined = string.Join(' ', args);
        string confDir = context.GetEnv("APACHE_CONFDIR") ?? context.DefaultConfDir;
        string suffix = ServiceNames.InstanceSuffix(confDir);

        // envvars is sourced in apachectl's own environment; APACHE_CONFDIR is exported so that the
        // file (and pluma) can find the tree.
        var start = new Dictionary<string, string>(context.Environment, StringComparer.Ordinal) { ["APACHE_CONFDIR"] = confDir };
        string envFile = context.GetEnv("APACHE_ENVVARS") ?? Path.Combine(confDir, "envvars");
        Dictionary<string, string> env = EnvVars.SourceIfPresent(envFile, start, out bool envFailed);
        if (envFailed)
        {
            context.Error.Write($"{invocationName}: could not source {envFile}\n");
        }

        var arguments = new List<string>();
        if (!SamePath(confDir, context.DefaultConfDir))
        {
            arguments.Add("-d");
            arguments.Add(confDir);
        }

        arguments.AddRange(Get(env, "APACHE_ARGUMENTS")?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) ?? []);
        string httpd = Get(env, "APACHE_HTTPD") ?? context.PlumaExecutable;

        if (joined is "" or "usage" or "help" or "--help")
        {
            context.Error.Write($"Usage: {invocationName} start|stop|restart|graceful|graceful-stop|configtest|status|fullstatus|help\n");
            context.Error.Write($"       {invocationName} <pluma args>\n");
            context.Error.Write($"       {invocationName} -h            (for help on <pluma args>)\n");
            return 1;
        }

        string runDir = Get(env, "APACHE_RUN_DIR") ?? "/var/run/pluma";
        string runUser = Get(env, "APACHE_RUN_USER") ?? "www-data";
        if (!PrepareDirectories(runDir, Get(env, "APACHE_LOCK_DIR") ?? "/var/lock/pluma", runUser, env))
        {
            return 1;
        }

        // As root, raise the descriptor limit for pluma and its children (Debian: ulimit -n 8192).
        string? ulimit = Environment.IsPrivilegedProcess
            ? (env.TryGetValue("APACHE_ULIMIT_MAX_FILES", out string? u) ? u : "ulimit -n 8192")
            : null;

        int error;
        switch (joined)
        {
            case "start":
                DeleteSslSessionCache(runDir);
                if (Get(env, "APACHE_STARTED_BY_SYSTEMD") is null && ServiceNames.DetectSystemd(context))
                {
                    // A server started behind systemd's back confuses its idea of the service state.
                    string unit = ServiceNames.SystemdUnit(suffix);
                    context.Out.Write($"Invoking 'systemctl start {unit}'.\n");
                    context.Out.Write($"Use 'systemctl status {unit}' for more info.\n");
                    error = ChildProcess.Run(context, "systemctl", ["start", unit], env);
                }
                else
                {
                    env.Remove("APACHE_STARTED_BY_SYSTEMD");
                    error = RunPluma(httpd, [.. arguments, "-k", "start"], env, ulimit);
                }

                break;
            case "stop" or "graceful-stop":
                error = RunPluma(httpd, [.. arguments, "-k", joined], env, ulimit);
                break;
            case "restart" or "graceful":
                // A configuration that does not parse must not take the running server down:
                // test silently first, and on failure show the test's own output.
                error = RunPluma(httpd, [.. arguments, "-t"], env, ulimit, discardStderr: true) == 0
                    ? RunPluma(httpd, [.. arguments, "-k", joined], env, ulimit)
                    : RunPluma(httpd, [.. arguments, "-t"], env, ulimit);
                break;
            case "startssl" or "sslstart" or "start-SSL":
                context.Out.Write("The startssl option is no longer supported.\n");
                context.Out.Write("Please edit httpd.conf to include the SSL configuration settings\n");
                context.Out.Write("and then use apachectl start.\n");
                error = 2;
                break;
            case var _ when args[0] == "advise":
                // Pluma's MPM advisor: `pluma -k advise [--apply] [--mpm NAME] [--ram-share PERCENT]`
                // reads the running server's scoreboard and children, so pluma (which knows the tree) runs it.
                error = RunPluma(httpd, [.. arguments, "-k", "advise", .. args[1..]], env, ulimit);
                break;
            case "configtest":
                error = RunPluma(httpd, [.. arguments, "-t"], env, ulimit);
                break;
            case "status" or "fullstatus":
                // Debian's status is a pipeline whose failure is lost (rc 0); Pluma reports it (rc 1),
                // without the "Action failed" lines, as fullstatus does in Debian.
                return new StatusPage(context, env).Show(Get(env, "APACHE_STATUSURL") ?? DefaultStatusUrl, full: joined == "fullstatus");
            default:
                error = RunPluma(httpd, [.. arguments, .. args], env, ulimit);
                break;
        }

        if (error != 0)
        {
            context.Out.Write($"Action '{joined}' failed.\n");
            context.Out.Write(ErrorLogHint + "\n");
        }

        return error;
    }

    private static string? Get(Dictionary<string, string> env, string key) =>
        env.TryGetValue(key, out string? v) && v.Length > 0 ? v : null;

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.GetFullPath(a).TrimEnd('/'), Path.GetFullPath(b).TrimEnd('/'), StringComparison.Ordinal);

    private int RunPluma(string httpd, List<string> args, Dictionary<string, string> env, string? ulimit, bool discardStderr = false)
    {
        if (string.IsNullOrEmpty(ulimit))
        {
            return ChildProcess.Run(context, httpd, args, env, discardStderr);
        }

        // The limit is a shell command from envvars, so a shell applies it and then becomes pluma.
        List<string> shell =
        [
            "-c",
            "if ! " + ulimit + "; then echo 'Setting ulimit failed. See APACHE_ULIMIT_MAX_FILES in envvars.' >&2; fi; exec \"$@\"",
            "sh", httpd, .. args,
        ];
        return ChildProcess.Run(context, "/bin/sh", shell, env, discardStderr);
    }

    private bool PrepareDirectories(string runDir, string lockDir, string runUser, Dictionary<string, string> env)
    {
        try
        {
            Directory.CreateDirectory(runDir);
            return EnsureOwnedDirectory(Path.Combine(runDir, "socks"), runUser, env) && EnsureOwnedDirectory(lockDir, runUser, env);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.Write($"{invocationName}: cannot create {runDir}: {e.Message}\n");
            return false;
        }
    }

    // mod_cgid's socket and the lock files are written after the switch to the run user, so their
    // directories belong to it (Debian's mkdir_chown). Only root can and needs to chown.
    private bool EnsureOwnedDirectory(string dir, string owner, Dictionary<string, string> env)
    {
        if (Directory.Exists(dir))
        {
            return true;
        }

        if (File.Exists(dir))
        {
            context.Out.Write($"{dir} already exists but is not a directory owned by {owner}.\n");
            context.Out.Write("Please fix manually. Aborting.\n");
            return false;
        }

        Directory.CreateDirectory(dir);
        if (Environment.IsPrivilegedProcess && ChildProcess.Run(context, "chown", [owner, dir], env) != 0)
        {
            context.Out.Write($"Cannot create {dir} with owner {owner}.\n");
            context.Out.Write("Please fix manually. Aborting.\n");
            return false;
        }

        return true;
    }

    private static void DeleteSslSessionCache(string runDir)
    {
        if (!Directory.Exists(runDir))
        {
            return;
        }

        foreach (string f in Directory.EnumerateFileSystemEntries(runDir, "*ssl_scache*"))
        {
            FileLinks.TryDelete(f);
        }
    }
}
