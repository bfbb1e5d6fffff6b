using System.IO;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>apache2's command line on the real binary and the bundled tree.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public void VersionPrintsTwoLines()
    {
        ProcessResult r = Pluma.Run("-v");
        Assert.Equal(0, r.ExitCode);
        string[] lines = r.StandardOutput.TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("Server version: Pluma/", lines[0]);
        Assert.StartsWith("Server built:   ", lines[1]);
    }

    [Fact]
    public void CompileSettingsNameTheEventMpmOfTheBundledTree()
    {
        using var tree = new TempConfTree();
        ProcessResult r = Pluma.OnTree(tree, "-V");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Server MPM:     event\n  threaded:     yes (fixed thread count)\n    forked:     yes (variable process count)\n", r.StandardOutput);
        Assert.Contains("Server's Module Magic Number: 20120211:142", r.StandardOutput);
    }

    [Fact]
    public void BundledTreeWithoutDashDIsTheRepositoryConf()
    {
        ProcessResult r = Pluma.Run("-S");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("ServerRoot: \"" + RepositoryPaths.ConfTree + "\"", r.StandardOutput);
    }

    [Fact]
    public void SyntaxCheckSaysSyntaxOk()
    {
        using var tree = new TempConfTree();
        ProcessResult r = Pluma.OnTree(tree, "-t");
        Assert.Equal(0, r.ExitCode);
        Assert.EndsWith("Syntax OK\n", r.StandardError);
    }

    [Fact]
    public void ModuleDumpListsStaticThenSharedModules()
    {
        using var tree = new TempConfTree();
        ProcessResult r = Pluma.OnTree(tree, "-M");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("Loaded Modules:\n core_module (static)\n so_module (static)\n watchdog_module (static)\n http_module (static)\n log_config_module (static)\n logio_module (static)\n version_module (static)\n unixd_module (static)\n", r.StandardOutput);
        Assert.Contains(" mpm_event_module (shared)\n", r.StandardOutput);
        Assert.Contains(" status_module (shared)\n", r.StandardOutput);
    }

    [Fact]
    public void VhostDumpShowsTheDefaultSite()
    {
        using var tree = new TempConfTree();
        ProcessResult r = Pluma.OnTree(tree, "-S");
        Assert.Equal(0, r.ExitCode);
        string expected = $"VirtualHost configuration:\n{"*:" + tree.Port,-22} 127.0.0.1 ({tree.ConfDir}/sites-enabled/000-default.conf:1)\n";
        Assert.StartsWith(expected, r.StandardOutput);
        Assert.Contains("Define: DUMP_VHOSTS\nDefine: DUMP_RUN_CFG\n", r.StandardOutput);
    }

    [Fact]
    public void SyntaxErrorNamesFileAndLineAndExitsOne()
    {
        using var tree = new TempConfTree();
        tree.AppendToMainConfig("Bogus on");
        int line = File.ReadAllLines(Path.Combine(tree.ConfDir, "apache2.conf")).Length;
        ProcessResult r = Pluma.OnTree(tree, "-t");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"AH00526: Syntax error on line {line} of {tree.ConfDir}/apache2.conf:\nInvalid command 'Bogus', perhaps misspelled or defined by a module not included in the server configuration", r.StandardError);
    }

    /// <summary>Found by fuzz/ (config-reader): the NUL reached Path.GetFullPath and the reader threw.</summary>
    [Fact]
    public void NulEndsAConfigLineAsInApache()
    {
        using var tree = new TempConfTree();
        tree.AppendToMainConfig("DocumentRoot " + tree.DocumentRoot + "\0junk after the NUL");
        ProcessResult r = Pluma.OnTree(tree, "-t");
        Assert.Equal(0, r.ExitCode);
        Assert.EndsWith("Syntax OK\n", r.StandardError);
    }

    /// <summary>Found by fuzz/ (config-reader): a TimeSpan overflow threw out of the reader (Apache wraps around and accepts).</summary>
    [Fact]
    public void TimeoutPastAnyDurationIsAWrongFormat()
    {
        using var tree = new TempConfTree();
        tree.AppendToMainConfig("Timeout 99999999999999999");
        int line = File.ReadAllLines(Path.Combine(tree.ConfDir, "apache2.conf")).Length;
        ProcessResult r = Pluma.OnTree(tree, "-t");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"AH00526: Syntax error on line {line} of {tree.ConfDir}/apache2.conf:\nTimeout has wrong format", r.StandardError);
    }

    [Fact]
    public void MpmClampWarningsPrintBeforeSyntaxOk()
    {
        using var tree = new TempConfTree();
        ProcessResult r = Pluma.OnTree(tree, "-t", "-c", "ThreadsPerChild 100");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("AH00507: WARNING: ThreadsPerChild of 100 exceeds ThreadLimit of 64 threads, decreasing to 64. To increase, please see the ThreadLimit directive.\n", r.StandardError);
        Assert.Contains("AH00513: WARNING: MaxRequestWorkers of 150 is not an integer multiple of ThreadsPerChild of 64, decreasing to nearest multiple 128, for a maximum of 2 servers.\n", r.StandardError);
    }

    [Fact]
    public void StartupLevelErrorHidesTheWarnings()
    {
        using var tree = new TempConfTree();
        ProcessResult r = Pluma.OnTree(tree, "-t", "-e", "error");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("Syntax OK\n", r.StandardError);
    }

    [Fact]
    public void NoMpmIsAConfigurationError()
    {
        using var tree = new TempConfTree();
        File.Delete(Path.Combine(tree.ConfDir, "mods-enabled", "mpm_event.load"));
        File.Delete(Path.Combine(tree.ConfDir, "mods-enabled", "mpm_event.conf"));
        ProcessResult r = Pluma.OnTree(tree, "-V");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Server MPM:     \n", r.StandardOutput);
        Assert.Contains("AH00534: pluma: Configuration error: No MPM loaded.", r.StandardError);
    }

    [Fact]
    public void AnIllegalOptionPrintsUsageAndExitsOne()
    {
        ProcessResult r = Pluma.Run("-Q");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("pluma: illegal option -- Q\nUsage: pluma [-D name] [-d directory] [-f file]\n", r.StandardError);
    }

    [Fact]
    public void CompiledModulesAreApachesStaticSet()
    {
        ProcessResult r = Pluma.Run("-l");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("Compiled in modules:\n  core.c\n  mod_so.c\n  mod_watchdog.c\n  http_core.c\n  mod_log_config.c\n  mod_logio.c\n  mod_version.c\n  mod_unixd.c\n", r.StandardOutput);
    }
}
