using Pluma.Modules.Dir;
using Pluma.Modules.Tests.Support;

namespace Pluma.Modules.Tests.Dir;

public class DirTests
{
    [Fact]
    public void DirectorySlashKeepsTheQueryAndEscapesThePath()
    {
        Assert.Equal("http://127.0.0.1:8080/dir/?a=1", DirectorySlashRedirect.Location("/dir", "a=1", "127.0.0.1", 8080));
        Assert.Equal("http://example.com/a%20b/", DirectorySlashRedirect.Location("/a b", null, "example.com", 80));
    }

    [Fact]
    public void DirectoryIndexListsAppendWithinASectionAndReplaceAcrossSections()
    {
        var dir = DirModule.Create();
        var config = ConfigFixture.Load(
            "DirectoryIndex index.html index.cgi\nDirectoryIndex index.php\n<Directory /srv>\nDirectoryIndex home.html\n</Directory>\n<Directory /off>\nDirectoryIndex disabled\n</Directory>\n", dir);
        Assert.Equal(["index.html", "index.cgi", "index.php"], ConfigFixture.Dir<DirDirConfig>(config, dir).EffectiveIndexNames);
        Assert.Equal(["home.html"], ConfigFixture.Dir<DirDirConfig>(config, dir, "/srv/x").EffectiveIndexNames);
        Assert.Empty(ConfigFixture.Dir<DirDirConfig>(config, dir, "/off/x").EffectiveIndexNames);
    }

    [Fact]
    public void DefaultIndexIsIndexHtml()
    {
        Assert.Equal(["index.html"], new DirDirConfig().EffectiveIndexNames);
    }

    [Fact]
    public void DisabledAmongOtherNamesIsAFileName()
    {
        var dir = DirModule.Create();
        var config = ConfigFixture.Load("DirectoryIndex a disabled\n", dir);
        Assert.Equal(["a", "disabled"], ConfigFixture.Dir<DirDirConfig>(config, dir).EffectiveIndexNames);
    }

    [Theory]
    [InlineData("DirectoryIndexRedirect maybe", "DirectoryIndexRedirect ON|OFF|permanent|temp|seeother|3xx")]
    public void BadDirectivesAreRefusedWithApachesText(string line, string error)
    {
        Assert.Equal(error, ConfigFixture.LoadFails(line + "\n", DirModule.Create()).Reason);
    }

    [Fact]
    public void DirectorySlashAndFallbackResourceAreRecorded()
    {
        var dir = DirModule.Create();
        var config = ConfigFixture.Load("DirectorySlash Off\nFallbackResource /index.php\nDirectoryIndexRedirect permanent\n", dir);
        DirDirConfig d = ConfigFixture.Dir<DirDirConfig>(config, dir);
        Assert.False(d.DirectorySlash);
        Assert.Equal("/index.php", d.FallbackResource);
        Assert.Equal(301, d.IndexRedirect);
    }
}
