using System.Text.RegularExpressions;
using Pluma.Modules.Alias;
using Pluma.Modules.Common;
using Pluma.Modules.Tests.Support;

namespace Pluma.Modules.Tests.Alias;

public class AliasMatcherTests
{
    [Theory]
    [InlineData("/icons/a.gif", "/icons/", 7)]
    [InlineData("/icons//a.gif", "/icons/", 8)]
    [InlineData("//icons/a.gif", "/icons/", 8)]
    [InlineData("/icons", "/icons/", 0)]
    [InlineData("/doc", "/doc", 4)]
    [InlineData("/doc/x", "/doc", 4)]
    [InlineData("/docs", "/doc", 0)]
    [InlineData("/other", "/doc", 0)]
    public void AliasMatchesFollowsApachesSlashRules(string uri, string fake, int expected)
    {
        Assert.Equal(expected, AliasMatcher.Matches(uri, fake));
    }

    [Fact]
    public void AliasMapsTheRestOfTheUriUnderTheTarget()
    {
        AliasEntry[] list = [new("/icons/", "/usr/share/apache2/icons/", null, 0)];
        Assert.NotNull(AliasMatcher.TryList(list, "/icons/small/a.png", false, out string? file));
        Assert.Equal("/usr/share/apache2/icons/small/a.png", file);
    }

    [Fact]
    public void FirstMatchingEntryWins()
    {
        AliasEntry[] list = [new("/a", "/one", null, 0), new("/a/b", "/two", null, 0)];
        AliasMatcher.TryList(list, "/a/b/c", false, out string? file);
        Assert.Equal("/one/b/c", file);
    }

    [Fact]
    public void RedirectEscapesTheRestOfThePath()
    {
        AliasEntry[] list = [new("/old", "http://example.com/new", null, 301)];
        AliasMatcher.TryList(list, "/old/a b/ü", true, out string? url);
        Assert.Equal("http://example.com/new/a%20b/%c3%bc", url);
    }

    [Fact]
    public void RegexTargetsSubstituteGroups()
    {
        AliasEntry[] list = [new("^/img/(.*)\\.jpg$", "/srv/$1/&", new Regex("^/img/(.*)\\.jpg$"), 0)];
        AliasMatcher.TryList(list, "/img/cat.jpg", false, out string? file);
        Assert.Equal("/srv/cat//img/cat.jpg", file);
    }

    [Fact]
    public void RelativeRedirectTargetIsMadeAbsoluteAndKeepsTheQuery()
    {
        Assert.Equal("http://example.com:8080/new?x=1", AliasMatcher.BuildLocation("/new", "x=1", "example.com", 8080));
        Assert.Equal("http://example.com/new", AliasMatcher.BuildLocation("/new", null, "example.com", 80));
        Assert.Equal("http://h/n?own", AliasMatcher.BuildLocation("http://h/n?own", "x=1", "example.com", 80));
        Assert.Equal("http://[::1]:81/", SelfUrl.Construct("::1", 81, "/"));
    }

    [Fact]
    public void RedirectDirectiveParsesStatusWords()
    {
        var alias = AliasModule.Create();
        var config = ConfigFixture.Load(
            "Redirect permanent /a http://x/a\nRedirect /b http://x/b\nRedirect gone /c\nRedirect 303 /d /e\nRedirectMatch 307 ^/f(.*) http://x/g$1\n"
            + "Alias /icons/ /usr/share/icons/\n", alias);
        AliasServerConfig s = ConfigFixture.Server<AliasServerConfig>(config, alias);
        Assert.Equal([301, 302, 410, 303, 307], s.Redirects.ConvertAll(r => r.Status));
        Assert.Null(s.Redirects[2].Real);
        Assert.Single(s.Aliases);
    }

    [Theory]
    [InlineData("Redirect /a relative", "Redirect to non-URL")]
    [InlineData("Redirect foo /a http://x", "Redirect: invalid first argument (of three)")]
    [InlineData("Redirect gone /a http://x", "Redirect URL not valid for this status")]
    [InlineData("Redirect /a", "URL to redirect to is missing")]
    [InlineData("AliasMatch ( /x", "Regular expression could not be compiled.")]
    [InlineData("<Location /x>\nAlias /a /b\n</Location>", "Alias cannot occur within directory context")]
    [InlineData("Alias /only", "Alias must have two arguments when used globally")]
    public void BadRedirectsAreRefusedWithApachesText(string line, string error)
    {
        var e = ConfigFixture.LoadFails(line + "\n", AliasModule.Create());
        Assert.Equal(error, e.Reason);
    }
}
