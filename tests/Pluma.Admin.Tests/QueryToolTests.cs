using System.IO;

namespace Pluma.Admin.Tests;

/// <summary>a2query against reference section 6.5, on a copy of conf/.</summary>
public sealed class QueryToolTests : IDisposable
{
    private readonly AdminTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Theory]
    [InlineData("mpm_event", "event")]
    [InlineData("mpm_worker", "worker")]
    [InlineData("mpm_prefork", "prefork")]
    public void MpmIsTheEnabledMpmLoadFile(string module, string expected)
    {
        _tree.Run("a2dismod", "mpm_event");
        _tree.Run("a2enmod", module);

        ToolResult r = _tree.Run("a2query", "-M");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(expected + "\n", r.Out);
    }

    [Fact]
    public void NoMpmPrintsInvalidAndSucceeds()
    {
        _tree.Run("a2dismod", "mpm_event");

        ToolResult r = _tree.Run("a2query", "-M");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("invalid\n", r.Out);
    }

    [Fact]
    public void TwoMpmsFailEveryQuery()
    {
        File.CreateSymbolicLink(_tree.ModsEnabled("mpm_prefork.load"), "../mods-available/mpm_prefork.load");

        ToolResult r = _tree.Run("a2query", "-v");

        Assert.Equal(1, r.ExitCode);
        Assert.Equal(string.Empty, r.Out);
        Assert.Equal("There is more than one MPM loaded. Do not proceed due to undefined results\n", r.Err);
    }

    [Fact]
    public void ModuleQueryNamesWhoEnabledIt()
    {
        _tree.Run("a2enmod", "rewrite");
        _tree.Run("a2enmod", "-m", "headers");

        Assert.Equal("rewrite (enabled by site administrator)\n", _tree.Run("a2query", "-m", "rewrite").Out);
        Assert.Equal("headers (enabled by maintainer script)\n", _tree.Run("a2query", "-m", "mod_headers").Out);
        Assert.Equal("mime (enabled by unknown)\n", _tree.Run("a2query", "-m", "mime.load").Out);
    }

    [Fact]
    public void ModuleNeverEnabledIsNotFoundWithOne()
    {
        ToolResult r = _tree.Run("a2query", "-m", "rewrite");

        Assert.Equal(1, r.ExitCode);
        Assert.Equal("No module matches rewrite\n", r.Err);
    }

    [Fact]
    public void ModuleDisabledByTheAdminExitsWith32()
    {
        _tree.Run("a2enmod", "rewrite");
        _tree.Run("a2dismod", "rewrite");

        ToolResult r = _tree.Run("a2query", "-m", "rewrite");

        Assert.Equal(32, r.ExitCode);
        Assert.Equal("No module matches rewrite (disabled by site administrator)\n", r.Err);
    }

    [Fact]
    public void ModuleDisabledByAMaintainerScriptExitsWith33()
    {
        _tree.Run("a2enmod", "rewrite");
        _tree.Run("a2dismod", "-m", "rewrite");

        ToolResult r = _tree.Run("a2query", "-m", "rewrite");

        Assert.Equal(33, r.ExitCode);
        Assert.Equal("No module matches rewrite (disabled by maintainer script)\n", r.Err);
    }

    [Fact]
    public void QuietSilencesOutputAndErrorsButKeepsTheCode()
    {
        _tree.Run("a2enmod", "rewrite");
        _tree.Run("a2dismod", "rewrite");

        ToolResult r = _tree.Run("a2query", "-q", "-m", "rewrite");

        Assert.Equal(32, r.ExitCode);
        Assert.Equal(string.Empty, r.Out + r.Err);
    }

    [Fact]
    public void ModuleQueryWithoutANameListsEveryEnabledModule()
    {
        ToolResult r = _tree.Run("a2query", "-m");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(19, r.OutLines.Length);
        Assert.Contains("mpm_event (enabled by unknown)", r.OutLines);
    }

    [Fact]
    public void SitesAndConfsAreQueriedTheSameWay()
    {
        Assert.Equal("000-default (enabled by unknown)\n", _tree.Run("a2query", "-s", "000-default").Out);
        _tree.Run("a2disconf", "charset");
        ToolResult conf = _tree.Run("a2query", "-c", "charset");
        Assert.Equal(32, conf.ExitCode);
        Assert.Equal("No conf matches charset (disabled by site administrator)\n", conf.Err);
    }

    [Fact]
    public void ConstantsAnswerInDebiansFixedOrder()
    {
        ToolResult r = _tree.Run("a2query", "-v", "-a", "-d");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("20120211\n2.4.71\n/usr/lib/apache2/modules/\n", r.Out);
    }

    [Fact]
    public void HelpIsPrintedForHAndForNoOption()
    {
        ToolResult h = _tree.Run("a2query", "-h");
        ToolResult none = _tree.Run("a2query");

        Assert.Equal(0, h.ExitCode);
        Assert.Equal(h.Out, none.Out);
        Assert.StartsWith("Usage: a2query -q -m [MODULE] -s [SITE] -c [CONF] -a -v -M -d -h \n-q           \tsuppress any output.", h.Out);
        Assert.Contains("-m [MODULE]  \tchecks whether the module MODULE is enabled, lists all enabled\n  \t        modules if no argument was given\n", h.Out);
    }

    [Fact]
    public void UnknownOptionWarnsAndShowsHelp()
    {
        ToolResult r = _tree.Run("a2query", "-x");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("Unknown option: x\n", r.Err);
        Assert.StartsWith("Usage: ", r.Out);
    }
}
