using System.IO;

namespace Pluma.Admin.Tests;

/// <summary>The a2enmod family against reference section 6.4's transcripts, on a copy of conf/.</summary>
public sealed class EnableToolTests : IDisposable
{
    private const string RestartHint = "To activate the new configuration, you need to run:\n  service pluma restart\n";
    private const string ReloadHint = "To activate the new configuration, you need to run:\n  service pluma reload\n";
    private readonly AdminTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void EnablingAConflictingMpmIsRefusedWhileAnotherIsEnabled()
    {
        ToolResult r = _tree.Run("a2enmod", "mpm_worker");

        Assert.Equal(1, r.ExitCode);
        Assert.Equal("Considering conflict mpm_event for mpm_worker:\nConsidering conflict mpm_prefork for mpm_worker:\n", r.Out);
        Assert.Equal("ERROR: Module mpm_event is enabled - cannot proceed due to conflicts. It needs to be disabled first!\n", r.Err);
        Assert.False(File.Exists(_tree.ModsEnabled("mpm_worker.load")));
    }

    [Fact]
    public void SwitchingMpmIsDisableThenEnableWithRestartHints()
    {
        ToolResult dis = _tree.Run("a2dismod", "mpm_event");
        Assert.Equal(0, dis.ExitCode);
        Assert.Equal("Module mpm_event disabled.\n" + RestartHint, dis.Out);
        Assert.Equal(string.Empty, dis.Err);
        Assert.False(File.Exists(_tree.ModsEnabled("mpm_event.load")));
        Assert.False(File.Exists(_tree.ModsEnabled("mpm_event.conf")));

        ToolResult again = _tree.Run("a2dismod", "mpm_event");
        Assert.Equal(0, again.ExitCode);
        Assert.Equal("Module mpm_event already disabled\n", again.Out);

        ToolResult en = _tree.Run("a2enmod", "mpm_worker");
        Assert.Equal(0, en.ExitCode);
        Assert.Equal(
            "Considering conflict mpm_event for mpm_worker:\nConsidering conflict mpm_prefork for mpm_worker:\nEnabling module mpm_worker.\n" + RestartHint,
            en.Out);

        ToolResult twice = _tree.Run("a2enmod", "mpm_worker");
        Assert.Equal(0, twice.ExitCode);
        Assert.Equal(
            "Considering conflict mpm_event for mpm_worker:\nConsidering conflict mpm_prefork for mpm_worker:\nModule mpm_worker already enabled\n",
            twice.Out);
    }

    [Fact]
    public void EnabledModuleIsARelativeSymlinkForLoadAndConf()
    {
        _tree.Run("a2dismod", "mpm_event");
        _tree.Run("a2enmod", "mpm_worker");

        Assert.Equal("../mods-available/mpm_worker.load", new FileInfo(_tree.ModsEnabled("mpm_worker.load")).LinkTarget);
        Assert.Equal("../mods-available/mpm_worker.conf", new FileInfo(_tree.ModsEnabled("mpm_worker.conf")).LinkTarget);
    }

    [Fact]
    public void EnablingAMissingModuleFails()
    {
        ToolResult r = _tree.Run("a2enmod", "nosuch");

        Assert.Equal(1, r.ExitCode);
        Assert.Equal(string.Empty, r.Out);
        Assert.Equal("ERROR: Module nosuch does not exist!\n", r.Err);
    }

    [Fact]
    public void EnablingAModuleEnablesItsDependenciesFirst()
    {
        ToolResult r = _tree.Run("a2enmod", "proxy_http");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("Considering dependency proxy for proxy_http:\nEnabling module proxy.\nEnabling module proxy_http.\n" + RestartHint, r.Out);
        Assert.Equal("../mods-available/proxy.conf", new FileInfo(_tree.ModsEnabled("proxy.conf")).LinkTarget);
    }

    [Fact]
    public void DisablingAModuleOthersDependOnNeedsForce()
    {
        _tree.Run("a2enmod", "proxy_http");

        ToolResult refused = _tree.Run("a2dismod", "proxy");
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal(string.Empty, refused.Out);
        Assert.Equal("ERROR: The following modules depend on proxy and need to be disabled first: proxy_http\n", refused.Err);

        ToolResult forced = _tree.Run("a2dismod", "-f", "proxy");
        Assert.Equal(0, forced.ExitCode);
        Assert.Equal("Considering dependency proxy_http for proxy:\nModule proxy_http disabled.\nModule proxy disabled.\n" + RestartHint, forced.Out);
        Assert.False(File.Exists(_tree.ModsEnabled("proxy_http.load")));
        Assert.False(File.Exists(_tree.ModsEnabled("proxy.conf")));
    }

    [Fact]
    public void CgiBecomesCgidUnderAThreadedMpm()
    {
        ToolResult r = _tree.Run("a2enmod", "cgi");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("Your MPM seems to be threaded. Selecting cgid instead of cgi.\nEnabling module cgid.\n" + RestartHint, r.Out);
        Assert.True(File.Exists(_tree.ModsEnabled("cgid.load")));
        Assert.False(File.Exists(_tree.ModsEnabled("cgi.load")));
    }

    [Fact]
    public void CgiStaysCgiUnderPrefork()
    {
        _tree.Run("a2dismod", "mpm_event");
        _tree.Run("a2enmod", "mpm_prefork");

        ToolResult r = _tree.Run("a2enmod", "cgi");

        Assert.Equal("Enabling module cgi.\n" + RestartHint, r.Out);
        Assert.True(File.Exists(_tree.ModsEnabled("cgi.load")));
    }

    [Fact]
    public void DisablingAnEssentialModuleAbortsWithoutTheConfirmationPhrase()
    {
        ToolResult r = _tree.RunWithInput("a2dismod", "no\n", "alias");

        Assert.Equal(1, r.ExitCode);
        Assert.Equal(
            "WARNING: The following essential module will be disabled.\n" +
            "This might result in unexpected behavior and should NOT be done\n" +
            "unless you know exactly what you are doing!\n alias\n\n" +
            "To continue type in the phrase 'Yes, do as I say!' or retry by passing '-f': Aborting\n",
            r.Out);
        Assert.True(File.Exists(_tree.ModsEnabled("alias.load")));
    }

    [Fact]
    public void DisablingAnEssentialModuleProceedsWithTheConfirmationPhrase()
    {
        ToolResult r = _tree.RunWithInput("a2dismod", "Yes, do as I say!\n", "alias");

        Assert.Equal(0, r.ExitCode);
        Assert.EndsWith("'-f': Module alias disabled.\n" + RestartHint, r.Out);
        Assert.False(File.Exists(_tree.ModsEnabled("alias.load")));
        Assert.False(File.Exists(_tree.ModsEnabled("alias.conf")));
    }

    [Fact]
    public void ForceSkipsTheEssentialModulePrompt()
    {
        ToolResult r = _tree.Run("a2dismod", "-f", "alias");

        Assert.Equal("Module alias disabled.\n" + RestartHint, r.Out);
    }

    [Fact]
    public void QuietHidesInfoLinesButNotTheChange()
    {
        ToolResult en = _tree.Run("a2enmod", "-q", "rewrite");
        Assert.Equal("Enabling module rewrite.\n", en.Out);

        ToolResult again = _tree.Run("a2enmod", "-q", "rewrite");
        Assert.Equal(string.Empty, again.Out);

        ToolResult dis = _tree.Run("a2dismod", "rewrite", "-q");
        Assert.Equal("Module rewrite disabled.\n", dis.Out);
    }

    [Fact]
    public void EnableAndDisableWriteAdminStateMarkers()
    {
        _tree.Run("a2enmod", "rewrite");
        Assert.True(File.Exists(Path.Combine(_tree.StateDir, "module", "enabled_by_admin", "rewrite")));

        _tree.Run("a2dismod", "rewrite");
        Assert.False(File.Exists(Path.Combine(_tree.StateDir, "module", "enabled_by_admin", "rewrite")));
        Assert.True(File.Exists(Path.Combine(_tree.StateDir, "module", "disabled_by_admin", "rewrite")));
    }

    [Fact]
    public void MaintainerModeWritesMaintMarkers()
    {
        _tree.Run("a2enmod", "-m", "rewrite");

        Assert.True(File.Exists(Path.Combine(_tree.StateDir, "module", "enabled_by_maint", "rewrite")));
    }

    [Fact]
    public void PurgeRemovesMarkersOfAModuleThatNoLongerExists()
    {
        _tree.Run("a2enmod", "rewrite");
        _tree.Run("a2dismod", "rewrite");

        ToolResult r = _tree.Run("a2dismod", "-p", "rewrite");

        Assert.Equal(0, r.ExitCode);
        Assert.Empty(Directory.GetFiles(Path.Combine(_tree.StateDir, "module"), "rewrite", SearchOption.AllDirectories));
    }

    [Fact]
    public void LoadSuffixIsStripped()
    {
        ToolResult r = _tree.Run("a2enmod", "mime.load");

        Assert.Equal("Module mime already enabled\n", r.Out);
    }

    [Fact]
    public void GlobsExpandInTheAvailableDirectory()
    {
        ToolResult r = _tree.Run("a2enmod", "-q", "proxy_h*");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(
            "Enabling module proxy.\nEnabling module proxy_hcheck.\nEnabling module xml2enc.\nEnabling module proxy_html.\n" +
            "Enabling module proxy_http.\nEnabling module http2.\nEnabling module proxy_http2.\n",
            r.Out);
    }

    [Fact]
    public void AGlobMatchingNothingIsAnError()
    {
        ToolResult r = _tree.Run("a2enmod", "zz*");

        Assert.Equal(1, r.ExitCode);
        Assert.Equal("ERROR: No module found matching zz*!\n", r.Err);
    }

    [Fact]
    public void DanglingLinksAreRemovedOnDisable()
    {
        File.CreateSymbolicLink(_tree.ModsEnabled("gone.load"), "../mods-available/gone.load");
        File.CreateSymbolicLink(_tree.ModsEnabled("gone.conf"), "../mods-available/gone.conf");

        ToolResult r = _tree.Run("a2dismod", "gone");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal($"removing dangling symlink {_tree.ModsEnabled("gone.load")}\nremoving dangling symlink {_tree.ModsEnabled("gone.conf")}\n", r.Out);
        Assert.False(new FileInfo(_tree.ModsEnabled("gone.load")).LinkTarget is not null);
    }

    [Fact]
    public void UnknownOptionExitsWithTwo()
    {
        ToolResult r = _tree.Run("a2enmod", "-x", "rewrite");

        Assert.Equal(2, r.ExitCode);
        Assert.Equal("Unknown option: x\n", r.Err);
        Assert.False(File.Exists(_tree.ModsEnabled("rewrite.load")));
    }

    [Fact]
    public void WithoutArgumentsTheToolAsksOnStdin()
    {
        ToolResult r = _tree.RunWithInput("a2enmod", "rewrite\n");

        Assert.StartsWith("Your choices are: access_compat actions alias ", r.Out);
        Assert.Contains("\nWhich module(s) do you want to enable (wildcards ok)?\nEnabling module rewrite.\n", r.Out);
    }

    [Fact]
    public void SitesAndConfsAskForAReload()
    {
        ToolResult site = _tree.Run("a2ensite", "default-ssl");
        Assert.Equal("Enabling site default-ssl.\n" + ReloadHint, site.Out);
        Assert.Equal("../sites-available/default-ssl.conf", new FileInfo(Path.Combine(_tree.ConfDir, "sites-enabled", "default-ssl.conf")).LinkTarget);
        Assert.Equal("Site default-ssl already enabled\n", _tree.Run("a2ensite", "default-ssl").Out);
        Assert.Equal("Site default-ssl disabled.\n" + ReloadHint, _tree.Run("a2dissite", "default-ssl").Out);

        Assert.Equal("Enabling conf javascript-common.\n" + ReloadHint, _tree.Run("a2enconf", "javascript-common").Out);
        Assert.Equal("Conf charset disabled.\n" + ReloadHint, _tree.Run("a2disconf", "charset.conf").Out);
        Assert.True(File.Exists(Path.Combine(_tree.StateDir, "conf", "disabled_by_admin", "charset")));

        ToolResult missing = _tree.Run("a2dissite", "nosuch");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("ERROR: Site nosuch does not exist!\n", missing.Err);
    }

    [Fact]
    public void UnderSystemdTheHintNamesSystemctl()
    {
        _tree.Systemd = true;

        Assert.EndsWith("To activate the new configuration, you need to run:\n  systemctl restart pluma\n", _tree.Run("a2enmod", "rewrite").Out);
        Assert.EndsWith("  systemctl reload pluma\n", _tree.Run("a2ensite", "default-ssl").Out);
    }

    [Fact]
    public void ARealFileInTheEnabledDirectoryIsNotTouched()
    {
        File.WriteAllText(_tree.ModsEnabled("rewrite.load"), "LoadModule rewrite_module x\n");

        ToolResult r = _tree.Run("a2enmod", "rewrite");

        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"ERROR: Module rewrite not properly enabled: {_tree.ModsEnabled("rewrite.load")} is a real file, not touching it\n", r.Err);
    }
}
