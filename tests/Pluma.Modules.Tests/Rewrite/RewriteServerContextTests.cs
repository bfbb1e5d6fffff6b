using Pluma.Modules.Tests.Support;

namespace Pluma.Modules.Tests.Rewrite;

/// <summary>mod_rewrite's rules in the server context, through the whole pipeline (Site).</summary>
public sealed class RewriteServerContextTests : IDisposable
{
    private readonly Site _site = new();

    public RewriteServerContextTests()
    {
        _site.Write("index.php", "front\n");
        _site.Write("a.txt", "file a\n");
        _site.Write("b.txt", "file b\n");
        _site.Write("dir/x.txt", "x\n");
    }

    public void Dispose() => _site.Dispose();

    private string Get(string conf, string target, string headers = "")
    {
        _site.Configure("RewriteEngine On\n" + conf);
        return _site.Get(target, headers);
    }

    [Fact]
    public void InternalRewriteServesTheOtherFile()
    {
        string r = Get("RewriteRule ^/old\\.txt$ /a.txt [L]\n", "/old.txt");
        Assert.StartsWith("HTTP/1.1 200", r, StringComparison.Ordinal);
        Assert.EndsWith("file a\n", r, StringComparison.Ordinal);
    }

    [Fact]
    public void EngineOffIgnoresTheRules()
    {
        _site.Configure("RewriteEngine Off\nRewriteRule ^/old\\.txt$ /a.txt\n");
        Assert.StartsWith("HTTP/1.1 404", _site.Get("/old.txt"), StringComparison.Ordinal);
    }

    [Fact]
    public void BackreferencesAndQueryStringReachTheTarget()
    {
        string r = Get("RewriteRule ^/go/(\\w+)$ /$1.txt?from=$1 [L]\n", "/go/b");
        Assert.EndsWith("file b\n", r, StringComparison.Ordinal);
    }

    [Fact]
    public void RedirectKeepsTheQueryStringAndAddsWithQsa()
    {
        string r = Get("RewriteRule ^/r/(.*)$ /new/$1?x=1 [R=301,QSA,L]\n", "/r/p?y=2");
        Assert.StartsWith("HTTP/1.1 301", r, StringComparison.Ordinal);
        Assert.Contains("Location: http://localhost:8080/new/p?x=1&y=2\r\n", r, StringComparison.Ordinal);
    }

    [Fact]
    public void RedirectWithoutQsaReplacesTheQueryString()
    {
        string r = Get("RewriteRule ^/r$ /n?x=1 [R]\n", "/r?y=2");
        Assert.StartsWith("HTTP/1.1 302", r, StringComparison.Ordinal);
        Assert.Contains("Location: http://localhost:8080/n?x=1\r\n", r, StringComparison.Ordinal);
    }

    [Fact]
    public void QsdDropsTheQueryString()
    {
        string r = Get("RewriteRule ^/r$ /n [R,QSD]\n", "/r?y=2");
        Assert.Contains("Location: http://localhost:8080/n\r\n", r, StringComparison.Ordinal);
    }

    [Fact]
    public void TrailingQuestionMarkDropsTheQueryString()
    {
        string r = Get("RewriteRule ^/r$ /n? [R]\n", "/r?y=2");
        Assert.Contains("Location: http://localhost:8080/n\r\n", r, StringComparison.Ordinal);
    }

    [Fact]
    public void ForbiddenAndGone()
    {
        Assert.StartsWith("HTTP/1.1 403", Get("RewriteRule ^/secret - [F]\n", "/secret"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 410", Get("RewriteRule ^/old - [G]\n", "/old"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 404", Get("RewriteRule ^/x - [R=404]\n", "/x"), StringComparison.Ordinal);
    }

    [Fact]
    public void ConditionsAndOrAndNegation()
    {
        string conf = "RewriteCond %{QUERY_STRING} a=1 [OR]\nRewriteCond %{HTTP_USER_AGENT} ^bot [NC]\nRewriteRule ^/c$ /a.txt [L]\nRewriteRule ^/c$ /b.txt [L]\n";
        Assert.EndsWith("file a\n", Get(conf, "/c?a=1"), StringComparison.Ordinal);
        Assert.EndsWith("file a\n", Get(conf, "/c", "User-Agent: BOT/1\r\n"), StringComparison.Ordinal);
        Assert.EndsWith("file b\n", Get(conf, "/c", "User-Agent: human\r\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void ConditionBackreferencesAreUsable()
    {
        string r = Get("RewriteCond %{QUERY_STRING} ^f=(\\w)$\nRewriteRule ^/q$ /%1.txt? [L]\n", "/q?f=b");
        Assert.EndsWith("file b\n", r, StringComparison.Ordinal);
    }

    [Fact]
    public void HeaderConditionsAddVary()
    {
        string r = Get("RewriteCond %{HTTP:X-Mode} =on\nRewriteRule ^/v$ /a.txt [L]\n", "/v", "X-Mode: on\r\n");
        Assert.Contains("Vary: X-Mode\r\n", r, StringComparison.Ordinal);
    }

    [Fact]
    public void ChainSkipsTheChainedRuleWhenTheFirstFails()
    {
        string conf = "RewriteRule ^/ch/(.*)$ /$1 [C]\nRewriteRule ^/a$ /a.txt [L]\nRewriteRule ^/ch/a$ /b.txt [L]\n";
        Assert.EndsWith("file a\n", Get(conf, "/ch/a"), StringComparison.Ordinal);
        Assert.EndsWith("file b\n", Get("RewriteRule ^/zz(.*)$ /$1 [C]\nRewriteRule ^/a$ /a.txt [L]\nRewriteRule ^/ch/a$ /b.txt [L]\n", "/ch/a"), StringComparison.Ordinal);
    }

    [Fact]
    public void SkipJumpsOverRules()
    {
        string conf = "RewriteRule ^/s$ - [S=1]\nRewriteRule ^/s$ /a.txt [L]\nRewriteRule ^/s$ /b.txt [L]\n";
        Assert.EndsWith("file b\n", Get(conf, "/s"), StringComparison.Ordinal);
    }

    [Fact]
    public void NextRestartsAndTheLoopLimitEndsWith500()
    {
        Assert.EndsWith("file a\n", Get("RewriteRule ^/n/x(.*)$ /n/$1 [N]\nRewriteRule ^/n/$ /a.txt [L]\n", "/n/xxx"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 500", Get("RewriteRule ^/loop /loop [N=5]\n", "/loop"), StringComparison.Ordinal);
        Assert.Contains("AH02596: RewriteRule '^/loop' and URI '/loop' exceeded maximum number of rounds (5) via the [N] flag", _site.ErrorLog, StringComparison.Ordinal);
    }

    [Fact]
    public void TypeFlagForcesTheContentType()
    {
        string r = Get("RewriteRule ^/a\\.txt$ - [T=text/html]\n", "/a.txt");
        Assert.Contains("Content-Type: text/html", r, StringComparison.Ordinal);
    }

    [Fact]
    public void EnvFlagSetsAVariableLaterConditionsSee()
    {
        string conf = "RewriteRule ^/e$ - [E=SEEN:yes]\nRewriteCond %{ENV:SEEN} =yes\nRewriteRule ^/e$ /a.txt [L]\n";
        Assert.EndsWith("file a\n", Get(conf, "/e"), StringComparison.Ordinal);
    }

    [Fact]
    public void InternalMapsConvertCase()
    {
        string r = Get("RewriteMap lc int:tolower\nRewriteRule ^/(.*)$ /${lc:$1} [L]\n", "/A.TXT");
        Assert.EndsWith("file a\n", r, StringComparison.Ordinal);
    }

    [Fact]
    public void TextMapsLookUpKeysAndFallBackToTheDefault()
    {
        _site.Write("../map.txt", "# comment\nalpha a\nbeta b\n");
        string conf = "RewriteMap m txt:map.txt\nRewriteRule ^/m/(.*)$ /${m:$1|b}.txt [L]\n";
        Assert.EndsWith("file a\n", Get(conf, "/m/alpha"), StringComparison.Ordinal);
        Assert.EndsWith("file b\n", Get(conf, "/m/other"), StringComparison.Ordinal);
    }

    [Fact]
    public void AbsoluteFileSystemTargetIsNotPrefixedWhenTheSubstitutionSaysSo()
    {
        string r = Get("RewriteRule ^/abs$ " + _site.Root + "/a.txt [L]\n", "/abs");
        Assert.EndsWith("file a\n", r, StringComparison.Ordinal);
    }

    [Fact]
    public void PassThroughLetsAliasMapTheResult()
    {
        string r = Get("RewriteRule ^/pt$ /al/x.txt [PT]\nAlias /al " + _site.Root + "/dir\n", "/pt");
        Assert.EndsWith("x\n", r, StringComparison.Ordinal);
    }

    [Fact]
    public void ControlCharactersInTheTargetCannotSplitTheHeader()
    {
        string r = Get("RewriteRule ^/(.*)$ http://example.com/$1 [R,NE]\n", "/a%0d%0aSet-Cookie:%20x=1");
        Assert.StartsWith("HTTP/1.1 302", r, StringComparison.Ordinal);
        Assert.DoesNotContain("\r\nSet-Cookie", r, StringComparison.Ordinal);
        Assert.Contains("Location: http://example.com/a%0d%0aSet-Cookie: x=1\r\n", r, StringComparison.Ordinal);
    }

    [Fact]
    public void RedirectTargetsAreEscapedUnlessNe()
    {
        Assert.Contains("Location: http://example.com/a%20b\r\n", Get("RewriteRule ^/(.*)$ http://example.com/$1 [R]\n", "/a%20b"), StringComparison.Ordinal);
        Assert.Contains("Location: http://example.com/#frag\r\n", Get("RewriteRule ^/f$ http://example.com/#frag [R,NE]\n", "/f"), StringComparison.Ordinal);
        Assert.Contains("Location: http://example.com/%23frag\r\n", Get("RewriteRule ^/f$ http://example.com/#frag [R]\n", "/f"), StringComparison.Ordinal);
    }

    [Fact]
    public void SpaceInARewrittenQueryStringIsRefused()
    {
        Assert.StartsWith("HTTP/1.1 403", Get("RewriteRule ^/(.*)$ /index.php?q=$1 [L]\n", "/a%20b"), StringComparison.Ordinal);
        Assert.Contains("AH10410", _site.ErrorLog, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", Get("RewriteRule ^/(.*)$ /index.php?q=$1 [B,L]\n", "/a%20b"), StringComparison.Ordinal);
    }

    [Fact]
    public void ProxyFlagWithoutModProxyIsForbidden()
    {
        Assert.StartsWith("HTTP/1.1 403", Get("RewriteRule ^/p/(.*)$ http://127.0.0.1:9/$1 [P]\n", "/p/x"), StringComparison.Ordinal);
        Assert.Contains("AH00669: attempt to make remote request from mod_rewrite without proxy enabled: proxy:http://127.0.0.1:9/x", _site.ErrorLog, StringComparison.Ordinal);
    }

    [Fact]
    public void ReDoSPatternTimesOutWith500()
    {
        string r = Get("RewriteRule ^/(a|aa)+$ /a.txt\n", "/" + new string('a', 60) + "!");
        Assert.StartsWith("HTTP/1.1 500", r, StringComparison.Ordinal);
        Assert.Contains("PL00321", _site.ErrorLog, StringComparison.Ordinal);
    }

    [Fact]
    public void TraceLevelsLogTheEngine()
    {
        Get("LogLevel rewrite:trace3\nRewriteRule ^/old\\.txt$ /a.txt [L]\n", "/old.txt");
        string log = _site.ErrorLog;
        Assert.Contains("[rewrite:trace2]", log, StringComparison.Ordinal);
        Assert.Contains("init rewrite engine with requested uri /old.txt", log, StringComparison.Ordinal);
        // The error log escapes a backslash as Apache's does (ap_escape_errorlog_item).
        Assert.Contains("applying pattern '^/old\\\\.txt$' to uri '/old.txt'", log, StringComparison.Ordinal);
        Assert.Contains("rewrite '/old.txt' -> '/a.txt'", log, StringComparison.Ordinal);
        Assert.DoesNotContain("[rewrite:trace4]", log, StringComparison.Ordinal);
    }

    [Fact]
    public void VirtualHostsDoNotInheritTheMainServersRules()
    {
        _site.Configure("RewriteEngine On\nRewriteRule ^/old\\.txt$ /a.txt [L]\n<VirtualHost *:8080>\nServerName other\nDocumentRoot " + _site.Root + "\n</VirtualHost>\n");
        Assert.StartsWith("HTTP/1.1 404", _site.Get("/old.txt"), StringComparison.Ordinal);
        _site.Configure("RewriteEngine On\nRewriteRule ^/old\\.txt$ /a.txt [L]\n<VirtualHost *:8080>\nServerName other\nDocumentRoot " + _site.Root + "\nRewriteOptions Inherit\n</VirtualHost>\n");
        Assert.EndsWith("file a\n", _site.Get("/old.txt"), StringComparison.Ordinal);
    }
}
