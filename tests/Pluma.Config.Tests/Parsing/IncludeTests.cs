using System.Collections.Generic;
using System.IO;
using Pluma.Config;

namespace Pluma.Config.Tests.Parsing;

public sealed class IncludeTests : IDisposable
{
    private readonly TempConfTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void WildcardsAreSortedRelativeToServerRootAndSkipHiddenFiles()
    {
        _tree.Write("conf.d/b.conf", "Mark b\n");
        _tree.Write("conf.d/a.conf", "Mark a\n");
        _tree.Write("conf.d/.hidden.conf", "Mark hidden\n");
        _tree.Write("conf.d/c.txt", "Mark txt\n");
        LoadedConfig c = _tree.Load("Include conf.d/*.conf\n");
        Assert.Equal(["a", "b"], Marks(c));
    }

    [Fact]
    public void DirectoriesAreIncludedRecursivelyAndWildcardDirectoriesMatchOnlyDirectories()
    {
        _tree.Write("d/x/1.conf", "Mark x1\n");
        _tree.Write("d/a.conf", "Mark a\n");
        _tree.Write("d/y/sub/2.conf", "Mark y2\n");
        _tree.Write("w/one/site.conf", "Mark one\n");
        _tree.Write("w/two/site.conf", "Mark two\n");
        _tree.Write("w/file.conf", "Mark file\n");
        LoadedConfig c = _tree.Load("Include d\nInclude w/*/site.conf\n");
        Assert.Equal(["a", "x1", "y2", "one", "two"], Marks(c));
    }

    [Fact]
    public void IncludeFailsWhereIncludeOptionalDoesNot()
    {
        Directory.CreateDirectory(Path.Combine(_tree.Root, "empty"));
        LoadedConfig c = _tree.Load("IncludeOptional empty/*.conf\nIncludeOptional nope.conf\nIncludeOptional nodir/*.conf\nMark after\n");
        Assert.Equal(["after"], Marks(c));

        ConfigException e = _tree.Fail("Include empty/*.conf\n");
        Assert.Equal("Include/IncludeOptional: No matches for the wildcard '*.conf' in '" + _tree.Root + "/empty', failing", e.Reason);
        e = _tree.Fail("\nInclude nope.conf\n");
        Assert.Equal(2, e.Line);
        Assert.Equal("Could not open configuration file " + _tree.Root + "/nope.conf: No such file or directory", e.Reason);
        e = _tree.Fail("Include nodir/*.conf\n");
        Assert.Equal("Include/IncludeOptional: Could not open directory " + _tree.Root + "/nodir: No such file or directory", e.Reason);
    }

    [Fact]
    public void ReadErrorsInIncludedFilesNestTheirLocation()
    {
        string inner = _tree.Write("inner.conf", "\n<Directory /a>\n");
        ConfigException e = _tree.Fail("\n\nInclude inner.conf\n");
        Assert.Equal(3, e.Line);
        Assert.Equal("Syntax error on line 2 of " + inner + ": " + inner + ":2: <Directory> was not closed.", e.Reason);
    }

    [Fact]
    public void ProcessErrorsInIncludedFilesNameTheIncludedFile()
    {
        string inner = _tree.Write("inner.conf", "\nBogus\n");
        ConfigException e = _tree.Fail("Include inner.conf\n");
        Assert.Equal(inner, e.File);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void SectionsMustCloseInTheFileThatOpensThem()
    {
        string closer = _tree.Write("closer.conf", "\n</Directory>\n");
        ConfigException e = _tree.Fail("<Directory /a>\nInclude closer.conf\n</Directory>\n");
        Assert.Equal("Syntax error on line 2 of " + closer + ": </Directory> without matching <Directory section", e.Reason);
    }

    [Fact]
    public void RecursiveIncludeStopsAtDepth128()
    {
        _tree.Write("self.conf", "Include self.conf\n");
        ConfigException e = _tree.Fail("Include self.conf\n");
        Assert.EndsWith("Exceeded maximum include depth of 128, There appears to be a recursion.", e.Reason, StringComparison.Ordinal);
    }

    private static List<string> Marks(LoadedConfig c) =>
        c.MainServer.DirDefaults.Get<TestModules.Trail>(c.Registry.FindByName("core_module")!)!.Marks;
}
