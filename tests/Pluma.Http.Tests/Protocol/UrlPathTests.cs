using Pluma.Http.Protocol;
using Xunit;

namespace Pluma.Http.Tests.Protocol;

public class UrlPathTests
{
    [Theory]
    [InlineData("/a/./b/../c", "/a/c")]
    [InlineData("//a///b", "/a/b")]
    [InlineData("/a/..", "/")]
    [InlineData("/a/b/", "/a/b/")]
    public void DotSegmentsAndSlashRunsAreRemoved(string path, string expected) => Assert.Equal(expected, UrlPath.Normalize(path));

    [Theory]
    [InlineData("/..")]
    [InlineData("/a/../../b")]
    public void PathsClimbingAboveRootAreRefused(string path) => Assert.Null(UrlPath.Normalize(path));

    [Fact]
    public void EncodedSlashStaysEncodedUnlessAsked()
    {
        Assert.Equal("/a%2Fb c", UrlPath.Decode("/a%2fb%20c"u8, decodeSlashes: false));
        Assert.Equal("/a/b c", UrlPath.Decode("/a%2fb%20c"u8, decodeSlashes: true));
    }

    [Fact]
    public void HttpDateRoundTripsAndReadsTheObsoleteForms()
    {
        var time = new DateTime(1994, 11, 6, 8, 49, 37, DateTimeKind.Utc);
        Assert.Equal("Sun, 06 Nov 1994 08:49:37 GMT", HttpDate.Format(time));
        Assert.True(HttpDate.TryParse("Sunday, 06-Nov-94 08:49:37 GMT", out DateTime rfc850));
        Assert.True(HttpDate.TryParse("Sun Nov  6 08:49:37 1994", out DateTime asctime));
        Assert.Equal(time, rfc850);
        Assert.Equal(time, asctime);
    }

    [Theory]
    [InlineData("/index.html")]
    [InlineData("/a/../b")]
    [InlineData("/..")]
    [InlineData("/a/../..")]
    [InlineData("/a/./../../b")]
    [InlineData("//a//..//..")]
    [InlineData("/a/b/../../")]
    [InlineData("/./.")]
    [InlineData("/a/..b/...")]
    [InlineData("/a/%2e%2e/%2e%2e")]
    public void CheckAgreesWithNormalizeOnClimbingAboveRoot(string raw)
    {
        bool above = UrlPath.Normalize(UrlPath.Decode(System.Text.Encoding.ASCII.GetBytes(raw), decodeSlashes: false)) is null;
        Assert.Equal(above, UrlPath.Check(System.Text.Encoding.ASCII.GetBytes(raw)) == UrlPathProblem.AboveRoot);
    }
}
