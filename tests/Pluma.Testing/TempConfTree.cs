using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;

namespace Pluma.Testing;

/// <summary>
/// A private copy of the repository's bundled tree (conf/ with its symlinks, and www/) in a
/// temporary folder, listening on its own free loopback port. The bundled envvars puts the
/// run, lock and log folders beside the copy, so tests never share state.
/// </summary>
public sealed class TempConfTree : IDisposable
{
    private readonly TempDirectory _dir = new("pluma-tree-");

    public TempConfTree(int? port = null)
    {
        Port = port ?? FreePort.Next();
        CopyTree(RepositoryPaths.ConfTree, ConfDir);
        CopyTree(Path.Combine(RepositoryPaths.Root, "www"), Path.Combine(Top, "www"));
        Directory.CreateDirectory(Path.Combine(Top, "var", "run"));
        Directory.CreateDirectory(Path.Combine(Top, "var", "log"));
        Directory.CreateDirectory(Path.Combine(Top, "var", "lock"));
        SetPort(Port);
    }

    /// <summary>The folder holding conf/, www/ and var/.</summary>
    public string Top => _dir.Path;

    /// <summary>The ServerRoot (the copy of conf/).</summary>
    public string ConfDir => Path.Combine(Top, "conf");

    public string DocumentRoot => Path.Combine(Top, "www", "html");

    public string LogDir => Path.Combine(Top, "var", "log");

    public string PidFile => Path.Combine(Top, "var", "run", "pluma.pid");

    public int Port { get; private set; }

    public string ErrorLog => File.Exists(Path.Combine(LogDir, "error.log")) ? File.ReadAllText(Path.Combine(LogDir, "error.log")) : "";

    /// <summary>Points the Listen line and the default vhost at <paramref name="port"/>.</summary>
    public void SetPort(int port)
    {
        string ports = Path.Combine(ConfDir, "ports.conf");
        File.WriteAllText(ports, Regex.Replace(File.ReadAllText(ports), @"Listen 127\.0\.0\.1:\d+\n", $"Listen 127.0.0.1:{port}\n", RegexOptions.None, TimeSpan.FromSeconds(1)));
        string site = Path.Combine(ConfDir, "sites-available", "000-default.conf");
        File.WriteAllText(site, Regex.Replace(File.ReadAllText(site), @"<VirtualHost \*:\d+>", $"<VirtualHost *:{port}>", RegexOptions.None, TimeSpan.FromSeconds(1)));
        Port = port;
    }

    /// <summary>Writes a file under conf/ (for example mods-available/mpm_event.conf).</summary>
    public void WriteConf(string relativePath, string text) => File.WriteAllText(Path.Combine(ConfDir, relativePath), text);

    /// <summary>Appends directives to the main configuration file.</summary>
    public void AppendToMainConfig(string text) => File.AppendAllText(Path.Combine(ConfDir, "apache2.conf"), "\n" + text + "\n");

    /// <summary>Enables <c>mpm_NAME</c> and disables the other MPMs, as a2dismod/a2enmod would (relative links).</summary>
    public void SwitchMpm(string name)
    {
        string enabled = Path.Combine(ConfDir, "mods-enabled");
        foreach (string mpm in new[] { "event", "worker", "prefork" })
        {
            foreach (string ext in new[] { ".load", ".conf" })
            {
                string link = Path.Combine(enabled, "mpm_" + mpm + ext);
                if (File.Exists(link) || new FileInfo(link).LinkTarget is not null)
                {
                    File.Delete(link);
                }

                if (mpm == name)
                {
                    File.CreateSymbolicLink(link, "../mods-available/mpm_" + mpm + ext);
                }
            }
        }
    }

    /// <summary>Environment for the admin tools acting on this tree.</summary>
    public IDictionary<string, string?> AdminEnvironment => new Dictionary<string, string?>
    {
        ["APACHE_CONFDIR"] = ConfDir,
        ["PLUMA_STATE_DIR"] = Path.Combine(Top, "var", "lib", "pluma"),
    };

    public void Dispose() => _dir.Dispose();

    private static void CopyTree(string from, string to)
    {
        // cp -a keeps the relative symlinks of mods-enabled/ and friends as they are.
        ProcessResult r = ProcessRunner.Run("cp", ["-a", from, to]);
        if (r.ExitCode != 0)
        {
            throw new IOException("cp -a failed: " + r.StandardError);
        }
    }
}
