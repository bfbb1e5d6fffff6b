using Pluma.Modules.Negotiation;

namespace Pluma.Modules.Tests.Negotiation;

public class NegotiationHeadersTests
{
    private static NegotiationState State(bool transparent, params Variant[] variants)
    {
        var neg = NegotiationState.FromHeaders(null, null, null, null, null);
        neg.Variants.AddRange(variants);
        neg.IsTransparent = transparent;
        return neg;
    }

    private static Variant V(string file, string type, string? lang, long bytes)
    {
        int p = 0;
        var v = new Variant { FileName = file, Bytes = bytes, ContentLanguages = lang is null ? null : [lang] };
        v.SetMimeFields(AcceptParser.ParseEntry(type, ref p));
        return v;
    }

    [Fact]
    public void VaryNamesWhatDiffersAndNegotiateWhenTransparent()
    {
        Assert.Equal("negotiate,accept-language", NegotiationHeaders.Vary(State(true, V("i.en", "text/html", "en", 1), V("i.fr", "text/html", "fr", 1))));
        Assert.Equal("accept,accept-language", NegotiationHeaders.Vary(State(false, V("i.en", "text/html", "en", 1), V("i.de", "text/plain", "de", 1))));
        Assert.Null(NegotiationHeaders.Vary(State(false, V("i.en", "text/html", "en", 1))));
    }

    [Fact]
    public void AlternatesAndVariantListAreApachesText()
    {
        NegotiationState neg = State(true, V("index.html.de", "text/html", "de", 9), V("index.html.en", "text/html; qs=0.25", "en", 8));
        Assert.Equal("{\"index.html.de\" 1 {type text/html} {language de} {length 9}}, {\"index.html.en\" 0.25 {type text/html} {language en} {length 8}}",
            NegotiationHeaders.Alternates(neg));
        Assert.Equal("Available variants:\n<ul>\n<li><a href=\"index.html.de\">index.html.de</a> , type text/html, language de</li>\n"
            + "<li><a href=\"index.html.en\">index.html.en</a> , type text/html, language en</li>\n</ul>\n", NegotiationHeaders.VariantList(neg));
    }

    [Fact]
    public void ContentLocationEscapesAPathSegment()
    {
        Assert.Equal("a%20b;c.html".Replace(";", "%3b", StringComparison.Ordinal), PathSegment.Escape("a b;c.html"));
        Assert.Equal("index.html.en", PathSegment.Escape("index.html.en"));
    }
}
