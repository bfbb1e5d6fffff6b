using System.Linq;
using Pluma.Config;
using Pluma.Modules.Core;
using Pluma.Modules.Hosting;
using Pluma.Modules.Tests.Support;

namespace Pluma.Modules.Tests.Core;

/// <summary>
/// Which servers walk at all: Debian's stock sections (FollowSymLinks and AllowOverride None)
/// must leave the request path as it was, and each way of restricting links or allowing
/// overrides must turn the walk on.
/// </summary>
public class DirectoryWalkPlanTests
{
    private const string DebianSections = """
        <Directory />
            Options FollowSymLinks
            AllowOverride None
            Require all denied
        </Directory>
        <Directory /usr/share>
            AllowOverride None
            Require all granted
        </Directory>
        <Directory /var/www/>
            Options Indexes FollowSymLinks
            AllowOverride None
            Require all granted
        </Directory>
        AccessFileName .htaccess
        """;

    private static DirectoryWalkPlan Plan(string text)
    {
        LoadedConfig config = ConfigFixture.LoadWithStatic(text, new HttpModule(CoreModule.Descriptor), Pluma.Modules.Authz.AuthzCoreModule.Create());
        ServerConfig main = config.MainServer;
        return DirectoryWalkPlan.Build(main.DirDefaults, main.Sections, main.ModuleConfig.Get<CoreServerConfig>(CoreModule.Descriptor)?.AccessFileNames);
    }

    [Fact]
    public void DebiansStockSectionsDoNotWalk()
    {
        DirectoryWalkPlan plan = Plan(DebianSections);
        Assert.False(plan.ChecksSymlinks);
        Assert.False(plan.ChecksAccessFiles);
        Assert.False(plan.IsActive);
    }

    [Theory]
    [InlineData("Options None")]
    [InlineData("Options Indexes")]
    [InlineData("Options -FollowSymLinks")]
    [InlineData("Options +SymLinksIfOwnerMatch")]
    [InlineData("Options FollowSymLinks SymLinksIfOwnerMatch")]
    public void OptionsShortOfPlainFollowSymLinksTurnTheSymlinkChecksOn(string options)
    {
        DirectoryWalkPlan plan = Plan(DebianSections + "\n<Directory /srv/x>\n" + options + "\n</Directory>\n");
        Assert.True(plan.ChecksSymlinks);
        Assert.False(plan.ChecksAccessFiles);
    }

    [Theory]
    [InlineData("AllowOverride All", true)]
    [InlineData("AllowOverride AuthConfig", true)]
    [InlineData("AllowOverrideList Redirect", true)]
    [InlineData("AllowOverrideList None", false)]
    [InlineData("AllowOverride None", false)]
    public void OverridesTurnTheAccessFileChecksOn(string directive, bool on)
    {
        DirectoryWalkPlan plan = Plan(DebianSections + "\n<Directory /srv/x>\n" + directive + "\n</Directory>\n");
        Assert.Equal(on, plan.ChecksAccessFiles);
        Assert.False(plan.ChecksSymlinks);
    }

    [Fact]
    public void RegexSectionsNeverDecideTheWalk()
    {
        // Apache merges <DirectoryMatch> after its walk: neither links nor access files depend on it.
        DirectoryWalkPlan plan = Plan(DebianSections + "\n<DirectoryMatch \"^/srv\">\nOptions None\n</DirectoryMatch>\n");
        Assert.False(plan.IsActive);
    }

    [Fact]
    public void AllowOverrideLoadsWithoutAWarning()
    {
        LoadedConfig config = ConfigFixture.LoadWithStatic("<Directory /srv>\nAllowOverride All\nAllowOverrideList Redirect\n</Directory>\n", new HttpModule(CoreModule.Descriptor));
        Assert.Empty(config.Warnings);
    }

    [Theory]
    [InlineData("AllowOverride On", "Illegal override option On")]
    [InlineData("AllowOverride FileInfo Bogus", "Illegal override option Bogus")]
    public void AllowOverrideRefusesWhatApacheRefuses(string line, string error)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigFixture.LoadWithStatic("<Directory /srv>\n" + line + "\n</Directory>\n", new HttpModule(CoreModule.Descriptor)));
        Assert.Equal(error, e.Reason);
    }

    [Fact]
    public void AStockServerWalksNothingAndPassesEveryPath()
    {
        using var site = new Site();
        site.Write("a.txt", "a");
        site.Write(".htaccess", "Require all denied\n");
        site.Configure("<Directory " + site.Root + ">\nRequire all granted\nAllowOverride None\n</Directory>\n");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", site.Get("/a.txt"), StringComparison.Ordinal);
    }

    [Fact]
    public void LongPathsAreWalkedInPooledBuffers()
    {
        // Past the walk's stack buffers: a refused link deep down is still found, a file served.
        using var site = new Site();
        string deep = string.Join('/', Enumerable.Repeat("directory-name-of-forty-characters-long", 20));
        site.Write(deep + "/f.txt", "deep");
        System.IO.File.CreateSymbolicLink(System.IO.Path.Combine(site.Root, deep, "l.txt"), "f.txt");
        site.Configure("<Directory " + site.Root + ">\nRequire all granted\nOptions None\nAllowOverride All\n</Directory>\n");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", site.Get("/" + deep + "/f.txt"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 403 Forbidden\r\n", site.Get("/" + deep + "/l.txt"), StringComparison.Ordinal);
        site.Write(deep + "/.htaccess", "Require all denied\n");
        Assert.StartsWith("HTTP/1.1 403 Forbidden\r\n", site.Get("/" + deep + "/f.txt"), StringComparison.Ordinal);
        site.Write(deep + "/.htaccess", "Bogus\n");
        Assert.StartsWith("HTTP/1.1 500 Internal Server Error\r\n", site.Get("/" + deep + "/f.txt"), StringComparison.Ordinal);
    }
}
