using System.Collections.Generic;
using Pluma.Config.Expressions;

namespace Pluma.Config.Tests.Expressions;

public sealed class ConfigExpressionTests
{
    private sealed class Vars(Dictionary<string, string> values) : IExpressionContext
    {
        public string? GetVariable(string name) => values.GetValueOrDefault(name);

        public bool FileExists(string path) => path == "/exists";
    }

    private static readonly Vars s_request = new(new()
    {
        ["REQUEST_URI"] = "/app/index.html",
        ["REMOTE_ADDR"] = "192.168.1.20",
        ["SERVER_PORT"] = "8080",
        ["HTTP:Host"] = "Example.org",
    });

    [Theory]
    [InlineData("true", true)]
    [InlineData("false || !false", true)]
    [InlineData("%{REQUEST_URI} == '/app/index.html'", true)]
    [InlineData("%{REQUEST_URI} != '/app/index.html'", false)]
    [InlineData("%{REQUEST_URI} =~ m#^/app/#", true)]
    [InlineData("%{HTTP:Host} =~ /^example/i && %{SERVER_PORT} -ge 8000", true)]
    [InlineData("%{HTTP:Host} !~ /^example/", true)]
    [InlineData("%{REMOTE_ADDR} -ipmatch '192.168.0.0/16'", true)]
    [InlineData("%{REMOTE_ADDR} -ipmatch '10.0.0.0/8'", false)]
    [InlineData("-f '/exists' && !(-d '/nonexistent-pluma')", true)]
    [InlineData("'%{SERVER_PORT}x' == '8080x'", true)]
    [InlineData("-z %{HTTP_COOKIE}", true)]
    [InlineData("(%{SERVER_PORT} -lt 10 || %{SERVER_PORT} -eq 8080) && 'a' < 'b'", true)]
    [InlineData("tolower(%{HTTP:Host}) == 'example.org'", true)]
    [InlineData("toupper('a') . 'b' == 'Ab'", true)]
    [InlineData("%{SERVER_PORT} -in {'80', '8080'}", true)]
    [InlineData("%{SERVER_PORT} -in {'80'}", false)]
    [InlineData("%{REQUEST_URI} -strmatch '/app/*.html'", true)]
    [InlineData("%{REQUEST_URI} -strmatch '/APP/*'", false)]
    [InlineData("%{REQUEST_URI} -strcmatch '/APP/*'", true)]
    [InlineData("%{REQUEST_URI} -fnmatch '/*.html'", false)]
    [InlineData("%{REQUEST_URI} -fnmatch '/*/index.htm?'", true)]
    [InlineData("'%{tolower:%{HTTP:Host}}' == 'example.org'", true)]
    [InlineData("md5('abc') == '900150983cd24fb0d6963f7d28e17f72'", true)]
    public void SupportedSubsetEvaluates(string text, bool expected)
    {
        Assert.Equal(expected, ConfigExpression.Parse(text).Evaluate(s_request));
    }

    [Theory]
    [InlineData("nosuch('A') == 'a'", "Function 'nosuch' does not exist")]
    [InlineData("%{NOPE} == 'a'", "Variable 'NOPE' does not exist")]
    [InlineData("%{REQUEST_URI} =~ /(/", "Failed to compile regular expression")]
    [InlineData("%{REQUEST_URI} -in {'a'", "syntax error, expecting '}'")]
    [InlineData("%{REQUEST_URI} -nosuch 'a'", "Binary operator '-nosuch' does not exist")]
    [InlineData("('a' == 'a'", "syntax error, unexpected $end")]
    public void AnythingElseIsRefusedClearly(string text, string error)
    {
        Assert.False(ConfigExpression.TryParse(text, out _, out string? message));
        Assert.Equal(error, message);
    }

    [Theory]
    [InlineData("%{REQUEST_URI}", "/app/index.html")]
    [InlineData("pre-%{tolower:%{HTTP:Host}}-post", "pre-example.org-post")]
    [InlineData("%{md5:abc}|%{sha1:abc}", "900150983cd24fb0d6963f7d28e17f72|a9993e364706816aba3e25717850c26c9cd0d89d")]
    [InlineData("%{base64:abc}|%{unbase64:YWJj}|%{toupper:abc}", "YWJj|abc|ABC")]
    [InlineData("%{escape:a b/c?}|%{unescape:a%20b}", "a%20b/c%3f|a b")]
    [InlineData("%{HTTP:Missing}x", "x")]
    [InlineData("plain text, no variables", "plain text, no variables")]
    public void StringExpressionsEvaluateAsApExprDoes(string text, string expected)
    {
        Assert.True(StringExpression.TryParse(text, out StringExpression? expression, out string? error), error);
        Assert.Equal(expected, expression.Evaluate(s_request));
    }

    [Theory]
    [InlineData("%{nosuch:x}", "Function 'nosuch' does not exist")]
    [InlineData("%{NOSUCH}", "Variable 'NOSUCH' does not exist")]
    [InlineData("%{tolower}", "Variable 'tolower' does not exist")]
    [InlineData("%{tolower:x", "Unterminated string or variable")]
    public void BadStringExpressionsAreRefusedWithApExprsWords(string text, string error)
    {
        Assert.False(StringExpression.TryParse(text, out _, out string? message));
        Assert.Equal(error, message);
    }
}
