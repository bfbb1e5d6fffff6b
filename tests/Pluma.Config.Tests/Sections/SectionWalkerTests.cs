using System.Collections.Generic;
using Pluma.Config;
using Pluma.Config.Expressions;
using Pluma.Config.Sections;

namespace Pluma.Config.Tests.Sections;

public sealed class SectionWalkerTests : IDisposable
{
    private readonly TempConfTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private sealed class Vars(Dictionary<string, string> values) : IExpressionContext
    {
        public string? GetVariable(string name) => values.GetValueOrDefault(name);
    }

    private const string Config =
        "Mark server\n" +
        "<Location /app>\nMark loc-app\n</Location>\n" +
        "<Directory /srv/www/html>\nMark dir-html\n<Files secret.txt>\nMark nested-files\n</Files>\n</Directory>\n" +
        "<DirectoryMatch ^/srv/.*/html/$>\nMark dirmatch\n</DirectoryMatch>\n" +
        "<Directory />\nMark dir-root\n</Directory>\n" +
        "<Files *.txt>\nMark files-txt\n</Files>\n" +
        "<Directory /srv/*>\nMark dir-srv-wild\n</Directory>\n" +
        "<If \"%{REQUEST_METHOD} == 'POST'\">\nMark if-post\n</If>\n<ElseIf \"%{HTTP:X-Test} =~ /yes/\">\nMark elseif\n</ElseIf>\n<Else>\nMark else\n</Else>\n" +
        "<LocationMatch ^/app/(a|b)>\nMark locmatch\n</LocationMatch>\n" +
        "<VirtualHost *:80>\nMark vhost\n<Directory /srv/*>\nMark vhost-dir-srv\n</Directory>\n<Location />\nMark vhost-loc\n</Location>\n</VirtualHost>\n";

    [Fact]
    public void SectionsMergeInApacheOrder()
    {
        LoadedConfig c = _tree.Load(Config);
        var ctx = new Vars(new() { ["REQUEST_METHOD"] = "GET", ["HTTP:X-Test"] = "yes" });
        ModuleConfigVector v = c.MainServer.WalkSections("/srv/www/html/secret.txt", false, "/app/a/x", ctx);
        Assert.Equal(
            ["server", "dir-root", "dir-srv-wild", "dir-html", "dirmatch", "files-txt", "nested-files", "loc-app", "locmatch", "elseif"],
            Marks(c, v));
    }

    [Fact]
    public void VirtualHostSectionsComeAfterTheMainServersOfTheSameDepth()
    {
        LoadedConfig c = _tree.Load(Config);
        ModuleConfigVector v = c.VirtualHosts[0].WalkSections("/srv/www/html/", true, "/other", new Vars(new() { ["REQUEST_METHOD"] = "POST" }));
        Assert.Equal(["server", "vhost", "dir-root", "dir-srv-wild", "vhost-dir-srv", "dir-html", "dirmatch", "vhost-loc", "if-post"], Marks(c, v));
    }

    [Fact]
    public void LocationPrefixMustEndAtASlash()
    {
        LoadedConfig c = _tree.Load(Config);
        Assert.DoesNotContain("loc-app", Marks(c, c.MainServer.WalkSections(null, false, "/application", null)));
        Assert.Contains("loc-app", Marks(c, c.MainServer.WalkSections(null, false, "/app", null)));
        Assert.Contains("loc-app", Marks(c, c.MainServer.WalkSections(null, false, "/app/", null)));
    }

    [Fact]
    public void WalkWithNothingMatchingReturnsTheCachedDirectoryResult()
    {
        LoadedConfig c = _tree.Load("<Directory /srv>\nMark srv\n</Directory>\n");
        ModuleConfigVector a = c.MainServer.WalkSections("/srv/a.html", false, "/a.html");
        ModuleConfigVector b = c.MainServer.WalkSections("/srv/b.html", false, "/b.html");
        Assert.Same(a, b);
    }

    [Fact]
    public void CachedPathResultsStayPerFileAndLocationsStillFollowTheUri()
    {
        // The directory and file walks are cached per path: asking again, or for a sibling that
        // a <Files> section treats differently, must give what a fresh walk gives.
        LoadedConfig c = _tree.Load(Config);
        for (int round = 0; round < 2; round++)
        {
            Assert.Equal(["server", "dir-root", "dir-srv-wild", "dir-html", "dirmatch", "files-txt", "nested-files", "loc-app"],
                Marks(c, c.MainServer.WalkSections("/srv/www/html/secret.txt", false, "/app", null)));
            Assert.Equal(["server", "dir-root", "dir-srv-wild", "dir-html", "dirmatch", "files-txt"],
                Marks(c, c.MainServer.WalkSections("/srv/www/html/public.txt", false, "/public.txt", null)));
            Assert.Equal(["server", "dir-root", "dir-srv-wild", "dir-html", "dirmatch"],
                Marks(c, c.MainServer.WalkSections("/srv/www/html/index.html", false, "/index.html", null)));
            Assert.Equal(["server", "dir-root", "dir-srv-wild", "dir-html", "dirmatch", "files-txt", "nested-files", "loc-app", "locmatch"],
                Marks(c, c.MainServer.WalkSections("/srv/www/html/secret.txt", false, "/app/b", null)));
        }
    }

    [Fact]
    public void ADirectoryAndAFileOfTheSameNameAreCachedApart()
    {
        LoadedConfig c = _tree.Load("<Directory /srv/x>\nMark dir-x\n</Directory>\n<Files x>\nMark files-x\n</Files>\n");
        Assert.Equal(["dir-x"], Marks(c, c.MainServer.WalkSections("/srv/x", true, "/x/", null)));
        Assert.Equal(["files-x"], Marks(c, c.MainServer.WalkSections("/srv/x", false, "/x", null)));
        Assert.Equal(["dir-x"], Marks(c, c.MainServer.WalkSections("/srv/x", true, "/x/", null)));
    }

    [Fact]
    public void MissingPathsAreWalkedButNotCached()
    {
        // A client names endless missing paths: each costs a walk, none stays behind.
        LoadedConfig c = _tree.Load(Config);
        string padding = new('m', 1000);
        for (int i = 0; i < 2_000; i++)
        {
            Assert.Equal(["server", "dir-root", "dir-srv-wild", "dir-html", "files-txt"],
                Marks(c, c.MainServer.WalkSections($"/srv/www/html/{i}/{padding}/{i}.txt", false, "/x.txt", null, exists: false)));
        }

        Assert.Equal(0, c.MainServer.SectionCacheBytes);
    }

    [Fact]
    public void CachesOfExistingPathsStayWithinTheirByteBudget()
    {
        LoadedConfig c = _tree.Load(Config);
        string padding = new('e', 500);
        for (int i = 0; i < 5_000; i++)
        {
            Assert.Contains("dir-html", Marks(c, c.MainServer.WalkSections($"/srv/www/html/{padding}{i}.txt", false, "/x.txt", null)));
            Assert.Contains("dir-html", Marks(c, c.MainServer.WalkSections($"/srv/www/html/{i}/{padding}/", true, "/x/", null)));
        }

        Assert.InRange(c.MainServer.SectionCacheBytes, 1, 3 * SectionWalker.CacheBudgetBytes);
    }

    [Fact]
    public void WalkCacheKeepsWhatIsUsedAndDropsTheRestWhenFull()
    {
        var cache = new WalkCache<string>(budgetBytes: 64 * 1024);
        long entry = WalkCache<string>.EntryBytes("hot", 100);
        cache.Add("hot", "h", 100);
        for (int i = 0; i < 2_000; i++)
        {
            Assert.True(cache.TryGet("hot", out string? hot));
            Assert.Equal("h", hot);
            cache.Add("cold" + i.ToString("D6"), "c", 100);
            Assert.InRange(cache.Bytes, entry, 64 * 1024);
        }

        // An entry of more than a sixteenth of the budget is not kept at all.
        cache.Add(new string('k', 3_000), "big", 100);
        Assert.False(cache.TryGet(new string('k', 3_000), out _));
    }

    private static List<string> Marks(LoadedConfig c, ModuleConfigVector v) =>
        v.Get<TestModules.Trail>(c.Registry.FindByName("core_module")!)!.Marks;
}
