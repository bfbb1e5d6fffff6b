using Pluma.Modules.Script;

namespace Pluma.Modules.Tests.Script;

public class CgiEnvironmentTests
{
    [Theory]
    [InlineData("User-Agent", "HTTP_USER_AGENT")]
    [InlineData("x-forwarded-for", "HTTP_X_FORWARDED_FOR")]
    [InlineData("X_Under", null)]
    [InlineData("X.Dot", null)]
    public void HeaderNamesBecomeHttpVariablesOnlyWhenMadeOfLettersDigitsAndDashes(string field, string? expected)
    {
        Assert.Equal(expected, CgiEnvironment.HeaderVariableName(field));
    }

    [Theory]
    [InlineData("/cgi-bin/env.cgi/a/b", "/a/b", 16)]
    [InlineData("/cgi-bin/env.cgi//a", "/a", 16)]
    [InlineData("/cgi-bin/env.cgi/", "/", 16)]
    public void ScriptNameEndsWherePathInfoStarts(string uri, string pathInfo, int expected)
    {
        Assert.Equal(expected, CgiEnvironment.FindPathInfo(uri, pathInfo));
    }

    [Fact]
    public void EnvironmentNamesAreMadeShellSafeAndSetReplaces()
    {
        var env = new CgiEnvironment();
        env.Set("downgrade-1.0", "1");
        env.Set("1st", "x");
        env.Set("A", "1");
        env.Set("a", "2");
        Assert.Equal(["downgrade_1_0=1", "_st=x", "A=2"], env.ToEnvironmentBlock());
        Assert.Equal("2", env["A"]);
        env.Unset("A");
        Assert.Null(env["a"]);
    }
}
