using System.Collections.Generic;
using System.Linq;
using Pluma.Config;

namespace Pluma.Config.Tests.Sections;

/// <summary>
/// An access file read with the server's own reader and directive tables (ap_parse_htaccess):
/// only what the overrides allow, Apache's reasons for the rest, and its section merged right
/// after the &lt;Directory&gt; sections of its own directory.
/// </summary>
public sealed class AccessFileParserTests : IDisposable
{
    private static readonly AccessFileOverrides All = new(DirectiveScope.OrAll, -1, null);

    private readonly TempConfTree _tree = new();
    private ModuleRegistry _registry = null!;

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void EachFileMergesAfterItsDirectorysSectionsAndBeforeDeeperOnes()
    {
        LoadedConfig config = Load("<Directory /srv>\nMark s1\n</Directory>\n<Directory /srv/a>\nMark s2\n</Directory>\n<Directory /srv/a/b>\nMark s3\n</Directory>\n");
        DirSection h1 = Parse(config, "/srv/", "Mark h1\n", All).Section!;
        DirSection h2 = Parse(config, "/srv/a/", "Mark h2\n", All).Section!;
        ModuleConfigVector v = config.MainServer.WalkSections("/srv/a/b/f.txt", false, "/f.txt", accessFiles: [h1, h2]);
        Assert.Equal(["s1", "h1", "s2", "h2", "s3"], Marks(v));

        // A changed file is a new section: the cached walk is not reused for it.
        DirSection h2b = Parse(config, "/srv/a/", "Mark h2b\n", All).Section!;
        Assert.Equal(["s1", "h1", "s2", "h2b", "s3"], Marks(config.MainServer.WalkSections("/srv/a/b/f.txt", false, "/f.txt", accessFiles: [h1, h2b])));
        Assert.Equal(["s1", "s2", "s3"], Marks(config.MainServer.WalkSections("/srv/a/b/f.txt", false, "/f.txt")));
    }

    [Fact]
    public void FilesSectionsInTheFileApplyToTheirFilesOnly()
    {
        LoadedConfig config = Load("LoadModule mime_module x.so\nMark top\n");
        DirSection h = Parse(config, "/srv/", "<Files x.txt>\nMark only-x\n</Files>\n", All).Section!;
        Assert.Equal(["top", "only-x"], Marks(config.MainServer.WalkSections("/srv/x.txt", false, "/x.txt", accessFiles: [h])));
        Assert.Equal(["top"], Marks(config.MainServer.WalkSections("/srv/y.txt", false, "/y.txt", accessFiles: [h])));
    }

    [Theory]
    [InlineData("Foo bar\n", "Invalid command 'Foo', perhaps misspelled or defined by a module not included in the server configuration")]
    [InlineData("ServerName example.org\n", "ServerName not allowed here")]
    [InlineData("Include /etc/passwd\n", "Include not allowed here")]
    [InlineData("Define X\n", "Define not allowed here")]
    [InlineData("<Directory /x>\n</Directory>\n", "<Directory not allowed here")]
    [InlineData("<Files a>\nMark m\n", "FILE:1: <Files> was not closed.")]
    [InlineData("Options Indexes\n", "PL00200: Options is not implemented yet, so an access file that uses it is refused")]
    public void WhatTheFileMayNotSayIsApachesError(string text, string error)
    {
        LoadedConfig config = Load("LoadModule mime_module x.so\nMark top\n");
        AccessFileResult r = Parse(config, "/srv/", text, All);
        Assert.Null(r.Section);
        Assert.Equal(error.Replace("FILE", "/srv/.htaccess", StringComparison.Ordinal), r.Error);
    }

    [Fact]
    public void OnlyTheAllowedClassesAndListedDirectivesPass()
    {
        LoadedConfig config = Load("LoadModule mime_module x.so\nMark top\n");
        var indexesOnly = new AccessFileOverrides(DirectiveScope.OrIndexes, -1, null);
        Assert.Equal("AddType not allowed here", Parse(config, "/srv/", "AddType text/x .x\n", indexesOnly).Error);
        Assert.Equal("AddType not allowed in <Files> context", Parse(config, "/srv/", "<Files a>\nAddType text/x .x\n</Files>\n", indexesOnly with { Allowed = DirectiveScope.OrIndexes | DirectiveScope.OrAuthCfg }).Error);
        Assert.NotNull(Parse(config, "/srv/", "AddType text/x .x\n", new AccessFileOverrides(DirectiveScope.None, -1, ["addtype"])).Section);
        Assert.Equal("<IfModule not allowed here", Parse(config, "/srv/", "<IfModule mime_module>\n</IfModule>\n", new AccessFileOverrides(DirectiveScope.None, -1, ["AddType"])).Error);
    }

    [Fact]
    public void NonfatalSkipsWithApachesWarnings()
    {
        LoadedConfig config = Load("LoadModule mime_module x.so\nMark top\n");
        var o = new AccessFileOverrides(DirectiveScope.OrIndexes, -1, null, NonfatalOverride: true, NonfatalUnknown: true);
        AccessFileResult r = Parse(config, "/srv/", "Bogus 1\nAddType text/x .x\nInclude /etc/passwd\n", o);
        Assert.NotNull(r.Section);
        Assert.Equal(
            ["AH02295: Include in .htaccess forbidden by AllowOverride",
             "AH02296: Unknown directive bogus perhaps misspelled or defined by a module not included in the server configuration",
             "AH02295: AddType in .htaccess forbidden by AllowOverride"],
            r.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void TheLoadedServerIsNeverChanged()
    {
        LoadedConfig config = Load("LoadModule mime_module x.so\nMark top\n");
        int before = config.MainServer.Sections.Count;
        Assert.NotNull(Parse(config, "/srv/", "<Files a>\nMark m\n</Files>\n", All).Section);
        Assert.Equal(before, config.MainServer.Sections.Count);
    }

    private LoadedConfig Load(string text)
    {
        LoadedConfig config = _tree.Load(text);
        _registry = config.Registry;
        return config;
    }

    private static AccessFileResult Parse(LoadedConfig config, string directory, string text, AccessFileOverrides o) =>
        AccessFileParser.Parse(config, config.MainServer, directory, directory + ".htaccess", text, o);

    private List<string> Marks(ModuleConfigVector v) =>
        v.Get<TestModules.Trail>(_registry.FindByName("core_module")!)!.Marks;
}
