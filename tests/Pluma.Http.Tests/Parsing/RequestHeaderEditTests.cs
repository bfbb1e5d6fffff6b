using System.Text;
using Pluma.Http;
using Xunit;

namespace Pluma.Http.Tests.Parsing;

/// <summary>The request's fields as mod_headers' RequestHeader edits them: parsed fields and added ones side by side.</summary>
public sealed class RequestHeaderEditTests
{
    private static HttpRequestHeaders Parsed(params (string Name, string Value)[] fields)
    {
        var text = new StringBuilder();
        var spans = new System.Collections.Generic.List<(int, int, int, int)>();
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

    [Fact]
    public void SetReplacesEveryFieldOfTheNameInTheFirstOnesPlace()
    {
        HttpRequestHeaders h = Parsed(("Accept", "a"), ("X-Dup", "1"), ("Host", "h"), ("x-dup", "2"));
        h.Set("X-DUP", "new");
        Assert.Equal(3, h.Count);
        Assert.Equal("X-Dup", h.GetName(1));
        Assert.Equal("new", h["x-dup"]);
        Assert.Equal("h", h.GetName(2) == "Host" ? h.GetValue(2) : null);
        Assert.True(h.NameEquals(1, "x-dup"));
        Assert.Equal("new"u8.ToArray(), h.GetValueBytes(1).ToArray());
    }

    [Fact]
    public void AppendRemoveAndCombinedValues()
    {
        HttpRequestHeaders h = Parsed(("Accept-Encoding", "gzip"), ("Host", "h"));
        h.Append("X-Add", "one");
        h.Append("x-add", "two");
        Assert.Equal("one, two", h.GetCombined("X-ADD"));
        Assert.True(h.HasToken("Accept-Encoding", "gzip"));
        h.Remove("accept-encoding");
        Assert.False(h.Contains("Accept-Encoding"));
        Assert.False(h.HasToken("Accept-Encoding", "gzip"));
        Assert.Equal(3, h.Count);
        Assert.Equal("Host", h.GetName(0));
        h.Remove("X-Add");
        Assert.Equal(1, h.Count);
        Assert.Equal("h", h["Host"]);
    }

    [Fact]
    public void AnAddedFieldIsNotMistakenForBufferBytes()
    {
        HttpRequestHeaders h = Parsed(("Host", "h"));
        h.Append("Range", "bytes=0-1");
        Assert.Equal("Range", Encoding.Latin1.GetString(h.GetNameBytes(1)));
        Assert.Equal(-1, h.IndexOf("Host", 1));
        Assert.Equal(1, h.IndexOf("range"));
    }
}
