using System.Collections.Generic;
using System.IO;
using System.Linq;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// The drop-in proof: Debian's real configuration tree (unpacked from the apache2 package file
/// into a private folder, with the modules, confs and site its postinst enables: see
/// <see cref="DebianApacheTree"/>), read by Pluma and by Debian's apache2 with the tree's envvars
/// values in the environment, as apache2ctl provides them.
/// </summary>
public sealed class DebianTreeTests : IDisposable
{
    private readonly TempDirectory _dir = new("pluma-debian-");
    private readonly string _tree;
    private readonly Dictionary<string, string?> _env;

    public DebianTreeTests()
    {
        _tree = _dir.Combine("apache2");
        DebianApacheTree.CopyTo(_tree);
        foreach (string d in new[] { "run", "log", "lock" })
        {
            Directory.CreateDirectory(_dir.Combine(d));
        }

        _env = new Dictionary<string, string?>
        {
            ["APACHE_RUN_USER"] = "www-data",
            ["APACHE_RUN_GROUP"] = "www-data",
            ["APACHE_PID_FILE"] = _dir.Combine("run", "apache2.pid"),
            ["APACHE_RUN_DIR"] = _dir.Combine("run"),
            ["APACHE_LOCK_DIR"] = _dir.Combine("lock"),
            ["APACHE_LOG_DIR"] = _dir.Combine("log"),
            ["LANG"] = "C",
        };
    }

    [Fact]
    public void DebiansFreshInstallEnablesWhatPostinstEnables()
    {
        Assert.Equal(19, Directory.GetFiles(Path.Combine(_tree, "mods-enabled"), "*.load").Length);
        Assert.Equal(5, Directory.GetFiles(Path.Combine(_tree, "conf-enabled"), "*.conf").Length);
        Assert.True(File.Exists(Path.Combine(_tree, "sites-enabled", "000-default.conf")));
    }

    [Fact]
    public void SyntaxCheckOfDebiansTreeSaysSyntaxOk()
    {
        ProcessResult r = ProcessRunner.Run(RepositoryPaths.PlumaBinary, ["-d", _tree, "-t"], _env);
        Assert.True(r.ExitCode == 0, r.Combined);
        Assert.EndsWith("Syntax OK\n", r.StandardError);
    }

    [Fact]
    public void CompileSettingsNameDebiansEventMpm()
    {
        ProcessResult r = ProcessRunner.Run(RepositoryPaths.PlumaBinary, ["-d", _tree, "-V"], _env);
        Assert.True(r.ExitCode == 0, r.Combined);
        Assert.Contains("Server MPM:     event\n  threaded:     yes (fixed thread count)\n    forked:     yes (variable process count)\n", r.StandardOutput);
    }

    [Fact]
    public void ModuleListIsTheOneDebiansApachePrints()
    {
        ProcessResult apache = ProcessRunner.Run("/usr/sbin/apache2", ["-d", _tree, "-M"], _env);
        ProcessResult pluma = ProcessRunner.Run(RepositoryPaths.PlumaBinary, ["-d", _tree, "-M"], _env);
        Assert.True(apache.ExitCode == 0, apache.Combined);
        Assert.True(pluma.ExitCode == 0, pluma.Combined);
        Assert.Equal(apache.StandardOutput, pluma.StandardOutput);
    }

    [Fact]
    public void VhostDumpIsTheOneDebiansApachePrints()
    {
        ProcessResult apache = ProcessRunner.Run("/usr/sbin/apache2", ["-d", _tree, "-S"], _env);
        ProcessResult pluma = ProcessRunner.Run(RepositoryPaths.PlumaBinary, ["-d", _tree, "-S"], _env);
        Assert.True(apache.ExitCode == 0, apache.Combined);
        Assert.True(pluma.ExitCode == 0, pluma.Combined);
        Assert.Equal(VhostSection(apache.StandardOutput), VhostSection(pluma.StandardOutput));
        // The run-time lines that do not depend on hash order match too.
        foreach (string prefix in new[] { "ServerRoot:", "Main DocumentRoot:", "Main ErrorLog:", "PidFile:", "User:", "Group:" })
        {
            Assert.Equal(Line(apache.StandardOutput, prefix), Line(pluma.StandardOutput, prefix));
        }
    }

    /// <summary>
    /// Issue 11's "done when": the fresh-install tree plus `a2enmod headers expires` and a site
    /// whose directory allows .htaccess files loads with no PL00001 (a directive accepted but not
    /// built), and both servers list the same modules for it.
    /// </summary>
    [Fact]
    public void TheStockTreeWithHeadersExpiresAndAnHtaccessSiteHasNoDirectiveLeftUnbuilt()
    {
        var env = new Dictionary<string, string?>(_env) { ["APACHE_CONFDIR"] = _tree };
        ProcessResult en = ProcessRunner.Run(Path.Combine(RepositoryPaths.Root, "bin", "a2enmod"), ["headers", "expires"], env);
        Assert.True(en.ExitCode == 0, en.Combined);
        string site = _dir.Combine("site");
        Directory.CreateDirectory(site);
        File.WriteAllText(Path.Combine(site, ".htaccess"), "Header set X-Site htaccess\nExpiresActive On\nExpiresDefault \"access plus 1 hour\"\n");
        File.WriteAllText(Path.Combine(_tree, "sites-available", "htaccess.conf"),
            "<VirtualHost *:80>\n\tServerName htaccess.test\n\tDocumentRoot " + site + "\n\t<Directory " + site + ">\n\t\tAllowOverride All\n\t\tRequire all granted\n\t</Directory>\n</VirtualHost>\n");
        ProcessResult ensite = ProcessRunner.Run(Path.Combine(RepositoryPaths.Root, "bin", "a2ensite"), ["htaccess"], env);
        Assert.True(ensite.ExitCode == 0, ensite.Combined);

        ProcessResult pluma = ProcessRunner.Run(RepositoryPaths.PlumaBinary, ["-d", _tree, "-t"], _env);
        Assert.True(pluma.ExitCode == 0, pluma.Combined);
        Assert.DoesNotContain("PL00001", pluma.Combined, StringComparison.Ordinal);
        ProcessResult apacheModules = ProcessRunner.Run("/usr/sbin/apache2", ["-d", _tree, "-M"], _env);
        ProcessResult plumaModules = ProcessRunner.Run(RepositoryPaths.PlumaBinary, ["-d", _tree, "-M"], _env);
        Assert.Equal(apacheModules.StandardOutput, plumaModules.StandardOutput);
        Assert.Contains(" headers_module (shared)", plumaModules.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(" expires_module (shared)", plumaModules.StandardOutput, StringComparison.Ordinal);
    }

    private static string VhostSection(string dump) =>
        string.Join('\n', dump.Split('\n').TakeWhile(l => !l.StartsWith("ServerRoot:", StringComparison.Ordinal)));

    private static string? Line(string dump, string prefix) =>
        dump.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));

    public void Dispose() => _dir.Dispose();
}
