using Pluma.Config;
using Pluma.Modules.Alias;

namespace Pluma.Modules.Tests.Alias;

/// <summary>
/// RedirectMatch results escaped as mod_alias escapes them; every expected Location below is what
/// Debian's apache2 2.4.71 answered for the same configuration and request.
/// </summary>
public class SubstitutedUrlTests
{
    [Theory]
    // RedirectMatch "^/rc/([^/]+)$" "http://example.com/$1", GET /rc/x%0d%0aSet-Cookie:%20evil=1
    [InlineData("http://example.com/x\r\nSet-Cookie: evil=1", "http://example.com/x%0d%0aSet-Cookie:%20evil=1")]
    [InlineData("http://example.com/a\rb", "http://example.com/a%0db")]
    [InlineData("http://example.com/a;b c\"d<>%\u007f\u0001{}|^`[]", "http://example.com/a;b%20c%22d%3c%3e%25%7f%01%7b%7d%7c%5e%60%5b%5d")]
    // The query and the fragment are appended as they are (the header writer refuses CR LF there: 500).
    [InlineData("http://example.com/x?a b", "http://example.com/x?a b")]
    [InlineData("http://example.com/x?\r\nSet-Cookie: e=1", "http://example.com/x?\r\nSet-Cookie: e=1")]
    [InlineData("http://example.com/x#\r\nZ: e=1", "http://example.com/x#\r\nZ: e=1")]
    // apr_uri_unparse: the password is hidden, a scheme's default port dropped.
    [InlineData("http://user:pw@example.com:80/y", "http://user:XXXXXXXX@example.com/y")]
    [InlineData("http://example.com:8080/y", "http://example.com:8080/y")]
    [InlineData("/local/a\r\nb", "/local/a%0d%0ab")]
    [InlineData("//example.com/p q", "//example.com/p%20q")]
    public void SubstitutionIsEscapedLikeModAlias(string found, string expected)
    {
        Assert.Equal(expected, SubstitutedUrl.Escape(found));
    }

    [Fact]
    public void RedirectMatchWithAnyCharacterGroupMatchesAndEscapesANewline()
    {
        // Apache's regexes are DOTALL: "(.*)" takes the decoded %0d%0a and the result is escaped.
        string pattern = "^/ra/(.*)$";
        AliasEntry[] list = [new(pattern, "http://example.com/$1", ApacheRegex.Create(pattern), 302)];
        Assert.NotNull(AliasMatcher.TryList(list, "/ra/x\r\nSet-Cookie: evil=1", true, out string? url));
        Assert.Equal("http://example.com/x%0d%0aSet-Cookie:%20evil=1", url);
    }

    [Theory]
    [InlineData("^/admin$", "/admin\n", false)]
    [InlineData("^/admin$", "/admin", true)]
    [InlineData("^/a(.*)$", "/a\nb", true)]
    [InlineData("^/[$]x$", "/$x", true)]
    [InlineData(@"^/\$x$", "/$x", true)]
    [InlineData("^/[]$]x$", "/$x", true)]
    public void ConfigurationRegexesAreDotAllAndDollarEndOnly(string pattern, string input, bool matches)
    {
        Assert.Equal(matches, ApacheRegex.Create(pattern).IsMatch(input));
    }
}
