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
    public void SupportedSubsetEvaluates(string text, bool expected)
    {
        Assert.Equal(expected, ConfigExpression.Parse(text).Evaluate(s_request));
    }

    [Theory]
    [InlineData("tolower('A') == 'a'", "Pluma does not support the function 'tolower' in expressions yet")]
    [InlineData("%{NOPE} == 'a'", "Variable 'NOPE' does not exist")]
    [InlineData("%{REQUEST_URI} =~ /(/", "Failed to compile regular expression")]
    [InlineData("%{REQUEST_URI} -in {'a'}", "Binary operator '-in' does not exist")]
    [InlineData("('a' == 'a'", "syntax error, unexpected $end")]
    public void AnythingElseIsRefusedClearly(string text, string error)
    {
        Assert.False(ConfigExpression.TryParse(text, out _, out string? message));
        Assert.Equal(error, message);
    }
}
