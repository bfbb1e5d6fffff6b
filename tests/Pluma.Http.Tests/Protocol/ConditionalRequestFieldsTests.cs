using System.Collections.Generic;
using System.Text;
using Pluma.Http;
using Pluma.Http.Protocol;
using Xunit;

namespace Pluma.Http.Tests.Protocol;

/// <summary>
/// ConditionalRequest.Evaluate skips its five lookups when no field's name begins with "If-":
/// the preconditions still apply whatever the case of the name, and when a module added the
/// field (RequestHeader) rather than the client.
/// </summary>
public sealed class ConditionalRequestFieldsTests
{
    private static readonly byte[] ETag = "\"abc\""u8.ToArray();
    private const long LastModified = 1_000_000;
    private const long RequestTime = 2_000_000;

    private static HttpRequestHeaders Parsed(params (string Name, string Value)[] fields)
    {
        var text = new StringBuilder();
        var spans = new List<(int, int, int, int)>();
        foreach ((string name, string value) in fields)
        {
            int nameStart = text.Length;
            text.Append(name).Append(": ");
            int valueStart = text.Length;
            text.Append(value).Append("\r\n");
            spans.Add((nameStart, name.Length, valueStart, value.Length));
        }

        var headers = new HttpRequestHeaders();
        headers.Reset(Encoding.Latin1.GetBytes(text.ToString()));
        foreach ((int ns, int nl, int vs, int vl) in spans)
        {
            headers.Add(ns, nl, vs, vl);
        }

        return headers;
    }

    private static Precondition Evaluate(HttpRequestHeaders headers) =>
        ConditionalRequest.Evaluate(headers, HttpMethod.Get, ETag, LastModified, RequestTime);

    [Fact]
    public void NoPreconditionFieldProceeds()
    {
        HttpRequestHeaders h = Parsed(("Host", "h"), ("Accept", "*/*"), ("Range", "bytes=0-1"), ("Iff", "x"), ("I", "y"));
        Assert.False(h.HasIfField());
        Assert.Equal(Precondition.Proceed, Evaluate(h));
    }

    [Theory]
    [InlineData("If-None-Match")]
    [InlineData("if-none-match")]
    [InlineData("IF-NONE-MATCH")]
    public void IfNoneMatchInAnyCaseAnswersNotModified(string name)
    {
        HttpRequestHeaders h = Parsed(("Host", "h"), (name, "\"abc\""));
        Assert.True(h.HasIfField());
        Assert.Equal(Precondition.NotModified, Evaluate(h));
    }

    [Fact]
    public void IfMatchThatFailsAnswersPreconditionFailed()
    {
        HttpRequestHeaders h = Parsed(("Host", "h"), ("iF-mAtCh", "\"other\""));
        Assert.Equal(Precondition.Failed, Evaluate(h));
    }

    [Fact]
    public void AFieldAModuleAddedCountsToo()
    {
        HttpRequestHeaders h = Parsed(("Host", "h"));
        Assert.False(h.HasIfField());
        h.Append("If-None-Match", "\"abc\"");
        Assert.True(h.HasIfField());
        Assert.Equal(Precondition.NotModified, Evaluate(h));
    }

    [Fact]
    public void AnUnrelatedIfFieldChangesNothing()
    {
        HttpRequestHeaders h = Parsed(("Host", "h"), ("If-Something", "x"));
        Assert.True(h.HasIfField());
        Assert.Equal(Precondition.Proceed, Evaluate(h));
    }
}
