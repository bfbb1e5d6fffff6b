using System.Collections.Generic;
using System.IO;
using Pluma.Testing;

namespace Pluma.Admin.Tests;

/// <summary>scripts/install.sh and uninstall.sh into a temporary DESTDIR, with a stand-in binary.</summary>
public sealed class InstallScriptTests : IDisposable
{
    private readonly TempDirectory _temp = new("pluma-install-");
    private readonly string _dest;
    private readonly Dictionary<string, string?> _env;

    public InstallScriptTests()
    {
        _dest = _temp.Combine("root");
        string fake = _temp.Combine("pluma");
        File.WriteAllText(fake, "#!/bin/sh\necho fake pluma\n");
        Assert.Equal(0, ProcessRunner.Run("chmod", ["755", fake]).ExitCode);
        _env = new() { ["DESTDIR"] = _dest, ["PLUMA_BINARY"] = fake, ["PREFIX"] = null };
    }

    public void Dispose() => _temp.Dispose();

    private string At(string path) => _dest + path;

    private ProcessResult Install() =>
        ProcessRunner.Run("sh", [Path.Combine(RepositoryPaths.Root, "scripts", "install.sh")], _env);

    [Fact]
    public void InstallPutsTheBinaryAndToolLinksUnderPrefixSbin()
    {
        ProcessResult r = Install();

        Assert.True(r.ExitCode == 0, r.Combined);
        Assert.Equal("#!/bin/sh\necho fake pluma\n", File.ReadAllText(At("/usr/local/sbin/pluma")));
        foreach (string tool in AdminTools.ToolNames)
        {
            Assert.Equal("pluma", new FileInfo(At("/usr/local/sbin/" + tool)).LinkTarget);
        }
    }

    [Fact]
    public void InstallCopiesTheTreeWithDebiansRunTimePaths()
    {
        Assert.Equal(0, Install().ExitCode);

        string envvars = File.ReadAllText(At("/etc/pluma/envvars"));
        Assert.Contains("export APACHE_RUN_USER=www-data\n", envvars);
        Assert.Contains("export APACHE_PID_FILE=/var/run/pluma$SUFFIX/pluma.pid\n", envvars);
        Assert.Contains("export APACHE_RUN_DIR=/var/run/pluma$SUFFIX\n", envvars);
        Assert.Contains("export APACHE_LOCK_DIR=/var/lock/pluma$SUFFIX\n", envvars);
        Assert.Contains("export APACHE_LOG_DIR=/var/log/pluma$SUFFIX\n", envvars);
        Assert.Contains("\tDocumentRoot /var/www/html\n", File.ReadAllText(At("/etc/pluma/sites-available/000-default.conf")));
        Assert.Contains("\nListen 80\n", File.ReadAllText(At("/etc/pluma/ports.conf")));
        Assert.Equal("../mods-available/mpm_event.load", new FileInfo(At("/etc/pluma/mods-enabled/mpm_event.load")).LinkTarget);
        Assert.True(File.Exists(At("/var/lib/pluma/module/enabled_by_maint/mpm_event")));
    }

    [Fact]
    public void InstalledEnvvarsSourcesToDebiansValues()
    {
        Assert.Equal(0, Install().ExitCode);

        ProcessResult r = ProcessRunner.Run("sh", ["-c", ". \"$1\" && echo \"$APACHE_RUN_DIR $APACHE_LOG_DIR $PLUMA_WWW\"", "sh", At("/etc/pluma/envvars")],
            new Dictionary<string, string?> { ["APACHE_CONFDIR"] = "/etc/pluma-second" });

        Assert.Equal("/var/run/pluma-second /var/log/pluma-second /var/www\n", r.StandardOutput);
    }

    [Fact]
    public void InstallAddsServiceFilesNamingTheInstalledTools()
    {
        Assert.Equal(0, Install().ExitCode);

        string unit = File.ReadAllText(At("/usr/local/lib/systemd/system/pluma.service"));
        Assert.Contains("Type=forking\n", unit);
        Assert.Contains("ExecStart=/usr/local/sbin/apachectl start\n", unit);
        Assert.Contains("ExecStop=/usr/local/sbin/apachectl graceful-stop\n", unit);
        Assert.Contains("ExecReload=/usr/local/sbin/apachectl graceful\n", unit);
        Assert.Contains("SBINDIR=/usr/local/sbin\n", File.ReadAllText(At("/etc/init.d/pluma")));
        Assert.DoesNotContain("@SBINDIR@", File.ReadAllText(At("/etc/logrotate.d/pluma")));
        Assert.True(Directory.Exists(At("/var/log/pluma")));
        Assert.True(File.Exists(At("/var/www/html/index.html")));
    }

    [Fact]
    public void ReinstallKeepsTheAdminsConfiguration()
    {
        Assert.Equal(0, Install().ExitCode);
        File.Delete(At("/etc/pluma/mods-enabled/status.load"));

        ProcessResult again = Install();

        Assert.Equal(0, again.ExitCode);
        Assert.Contains("keeping the existing /etc/pluma", again.StandardOutput);
        Assert.False(File.Exists(At("/etc/pluma/mods-enabled/status.load")));
    }

    [Fact]
    public void UninstallRemovesProgramsAndKeepsConfigurationUnlessPurged()
    {
        Assert.Equal(0, Install().ExitCode);
        string uninstall = Path.Combine(RepositoryPaths.Root, "scripts", "uninstall.sh");

        Assert.Equal(0, ProcessRunner.Run("sh", [uninstall], _env).ExitCode);
        Assert.False(File.Exists(At("/usr/local/sbin/pluma")));
        Assert.Null(new FileInfo(At("/usr/local/sbin/a2enmod")).LinkTarget);
        Assert.False(File.Exists(At("/etc/init.d/pluma")));
        Assert.True(File.Exists(At("/etc/pluma/apache2.conf")));

        _env["PURGE"] = "1";
        Assert.Equal(0, ProcessRunner.Run("sh", [uninstall], _env).ExitCode);
        Assert.False(Directory.Exists(At("/etc/pluma")));
        Assert.True(File.Exists(At("/var/www/html/index.html")));
    }
}
