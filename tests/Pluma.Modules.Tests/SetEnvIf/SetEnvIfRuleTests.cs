using System.Collections.Generic;
using Pluma.Modules.SetEnvIf;

namespace Pluma.Modules.Tests.SetEnvIf;

public class SetEnvIfRuleTests
{
    private static SetEnvIfRule Rule(string name, params string[] words)
    {
        SetEnvIfRule? rule = SetEnvIfRule.Create("SetEnvIf", name, words, ignoreCase: false, out string? error);
        Assert.True(rule is not null, error);
        return rule;
    }

    private static Dictionary<string, string> Run(SetEnvIfRule rule, string? value, Dictionary<string, string>? env = null)
    {
        env ??= new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        rule.Apply(value, env);
        return env;
    }

    [Fact]
    public void PlainTextIsASubstringSearchAndSubstitutesNothing()
    {
        // "a.b" is a regex (the dot); "a\.b" is the literal text a.b, searched anywhere.
        Assert.Equal("$1", Run(Rule("X", @"a\.b", "v=$1"), "xxa.byy")["v"]);
        Assert.Empty(Run(Rule("X", @"a\.b", "v"), "axb"));
        Assert.Equal("1", Run(Rule("X", "a.b", "v"), "axb")["v"]);
    }

    [Fact]
    public void RegexCapturesGoIntoValuesAndABackslashEscapes()
    {
        // ap_pregsub: $N, a missing group is empty, '&' stays literal in 2.4, "\$" is a dollar.
        Assert.Equal("aa-b&$", Run(Rule("X", "^(a+)(b*)$", @"v=$1-$2&\$"), "aab")["v"]);
        Assert.Equal("[x][][]", Run(Rule("X", "(x)(y)?", "v=[$1][$2][$3]"), "x")["v"]);
    }

    [Fact]
    public void FeaturesSetUnsetAndDefaultToOne()
    {
        var env = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["gone"] = "x" };
        Run(Rule("X", "^$", "plain", "valued=v", "!gone", "eq=", "a==b"), null, env);
        Assert.Equal("1", env["plain"]);
        Assert.Equal("v", env["valued"]);
        Assert.False(env.ContainsKey("gone"));
        Assert.Equal("1", env["eq"]);
        Assert.Equal("b", env["a"]);
    }

    [Fact]
    public void AnAbsentValueIsTestedAsEmpty()
    {
        Assert.Equal("1", Run(Rule("X-Missing", "^$", "empty"), null)["empty"]);
    }

    [Theory]
    [InlineData("Remote_Addr", SetEnvIfAttribute.RemoteAddr)]
    [InlineData("request_uri", SetEnvIfAttribute.RequestUri)]
    [InlineData("Request_Protocol", SetEnvIfAttribute.RequestProtocol)]
    [InlineData("SERVER_ADDR", SetEnvIfAttribute.ServerAddr)]
    [InlineData("User-Agent", SetEnvIfAttribute.Header)]
    [InlineData("^X-C.*$", SetEnvIfAttribute.HeaderNameRegex)]
    public void NamesAreAttributesHeadersOrRegexes(string name, SetEnvIfAttribute expected)
    {
        Assert.Equal(expected, Rule(name, "x", "v").Attribute);
    }

    [Theory]
    [InlineData(new string[0], "Missing regular expression for SetEnvIf")]
    [InlineData(new[] { "x" }, "Missing envariable expression for SetEnvIf")]
    [InlineData(new[] { "(", "v" }, "SetEnvIf regex could not be compiled.")]
    public void ApachesMessagesForBadLines(string[] words, string message)
    {
        Assert.Null(SetEnvIfRule.Create("SetEnvIf", "X", words, ignoreCase: false, out string? error));
        Assert.Equal(message, error);
    }
}
