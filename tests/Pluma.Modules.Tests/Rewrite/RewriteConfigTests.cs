using Pluma.Modules.Rewrite;
using Pluma.Modules.Tests.Support;

namespace Pluma.Modules.Tests.Rewrite;

/// <summary>mod_rewrite's directives as the configuration reads them.</summary>
public class RewriteConfigTests
{
    [Theory]
    [InlineData("RewriteRule ^a b [X]", "RewriteRule: unknown flag 'X'")]
    [InlineData("RewriteRule ^a b L", "RewriteRule: bad flag delimiters")]
    [InlineData("RewriteRule ^a", "RewriteRule: bad argument line '^a'")]
    [InlineData("RewriteRule ^(a b", "RewriteRule: cannot compile regular expression '^(a'")]
    [InlineData("RewriteRule ^a b [R=299]", "RewriteRule: invalid HTTP response code '299' for flag 'R'")]
    [InlineData("RewriteRule ^a b [BNE]", "RewriteRule: flag 'BNE' wants a list of characters (i.e. [BNE=...])")]
    [InlineData("RewriteCond %{X} y [Z]", "RewriteCond: unknown flag 'Z'")]
    [InlineData("RewriteCond %{X} (", "RewriteCond: cannot compile regular expression '('")]
    [InlineData("RewriteBase /x", "RewriteBase: only valid in per-directory config files")]
    [InlineData("RewriteOptions Bogus", "RewriteOptions: unknown option 'Bogus'")]
    [InlineData("RewriteMap m int:nothing", "RewriteMap: internal map not found:nothing")]
    public void BadDirectivesAreRefusedWithApachesText(string line, string error)
    {
        Assert.Equal(error, ConfigFixture.LoadFails(line + "\n", RewriteModule.Create()).Reason);
    }

    [Theory]
    [InlineData("RewriteMap m prg:/bin/cat", "PL00320")]
    [InlineData("RewriteMap m dbm:/tmp/x.db", "PL00320")]
    [InlineData("RewriteCond expr \"-f /x\"", "PL00322")]
    public void WhatIsNotBuiltIsRefused(string line, string id)
    {
        Assert.StartsWith(id, ConfigFixture.LoadFails(line + "\n", RewriteModule.Create()).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RewriteCond %{REQUEST_URI} -U", CondPatternType.LookupUrl)]
    [InlineData("RewriteCond %{REQUEST_FILENAME} !-F", CondPatternType.LookupFile)]
    public void LookAheadConditionsAreRead(string line, CondPatternType type)
    {
        var m = RewriteModule.Create();
        RewriteServerConfig s = ConfigFixture.Server<RewriteServerConfig>(ConfigFixture.Load(line + "\nRewriteRule ^ - [L]\n", m), m);
        Assert.Equal(type, s.Rules[0].Conditions[0].Type);
    }

    [Fact]
    public void RulesTakeThePendingConditionsAndFlags()
    {
        var m = RewriteModule.Create();
        var config = ConfigFixture.Load("RewriteEngine On\nRewriteCond %{REQUEST_FILENAME} !-f\nRewriteCond %{REQUEST_FILENAME} !-d [OR]\nRewriteRule !^x \"a b\" [NC,R=permanent,L,QSA,E=A:b,S=2,T=text/plain]\nRewriteRule ^y - [F]\n", m);
        RewriteServerConfig s = ConfigFixture.Server<RewriteServerConfig>(config, m);
        Assert.True(s.Enabled);
        Assert.Equal(2, s.Rules.Count);
        RewriteRuleEntry r = s.Rules[0];
        Assert.Equal(2, r.Conditions.Count);
        Assert.Equal(CondPatternType.FileExists, r.Conditions[0].Type);
        Assert.True(r.Conditions[0].Has(CondFlags.NotMatch));
        Assert.True(r.Conditions[1].Has(CondFlags.OrNext));
        Assert.Equal("a b", r.Output);
        Assert.True(r.Has(RuleFlags.NotMatch | RuleFlags.NoCase));
        Assert.Equal(RuleFlags.NotMatch | RuleFlags.NoCase | RuleFlags.ForceRedirect | RuleFlags.Last | RuleFlags.QsAppend, r.Flags);
        Assert.Equal(301, r.Options.ForcedStatus);
        Assert.Equal(2, r.Options.Skip);
        Assert.Equal("text/plain", r.Options.ForcedType);
        Assert.Equal(["A:b"], r.Options.Env);
        Assert.Empty(s.Rules[1].Conditions);
        Assert.Equal(403, s.Rules[1].Options.ForcedStatus);
    }

    [Theory]
    [InlineData("-f", CondPatternType.FileExists, "-f")]
    [InlineData("-l", CondPatternType.FileLink, "-l")]
    [InlineData("=abc", CondPatternType.StringEqual, "abc")]
    [InlineData("=\"\"", CondPatternType.StringEqual, "")]
    [InlineData(">=b", CondPatternType.StringGreaterOrEqual, "b")]
    [InlineData("<b", CondPatternType.StringLess, "b")]
    [InlineData("-lt5", CondPatternType.IntLess, "5")]
    [InlineData("-eq10", CondPatternType.IntEqual, "10")]
    [InlineData("^a.*", CondPatternType.Regex, "^a.*")]
    public void CondPatternsAreClassified(string pattern, CondPatternType type, string rest)
    {
        var (t, p, _) = RewriteFlagParser.ClassifyCondPattern(pattern);
        Assert.Equal(type, t);
        Assert.Equal(rest, p);
    }

    [Fact]
    public void VirtualHostRulesReplaceTheMainServersUnlessInherit()
    {
        var m = RewriteModule.Create();
        var main = new RewriteServerConfig { Engine = true };
        main.Rules.Add(new RewriteRuleEntry("a", RewriteDirectives.Compile("a", false), "b", new RuleOptions(), []));
        var vhost = new RewriteServerConfig();
        Assert.Empty(RewriteServerConfig.Merge(main, vhost).Rules);
        Assert.True(RewriteServerConfig.Merge(main, vhost).Enabled);
        vhost.Options = RewriteOptionBits.Inherit;
        Assert.Single(RewriteServerConfig.Merge(main, vhost).Rules);
        _ = m;
    }

    [Fact]
    public void PerDirectoryPrefixHasATrailingSlash()
    {
        Assert.Equal("/var/www/html/", new RewriteDirConfig("/var/www/html").Directory);
        Assert.Equal("/var/www/html/", new RewriteDirConfig("/var/www/html/").Directory);
        Assert.Null(new RewriteDirConfig(null).Directory);
    }
}
