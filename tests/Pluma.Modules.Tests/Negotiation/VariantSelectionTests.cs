using System.Collections.Generic;
using Pluma.Modules.Negotiation;

namespace Pluma.Modules.Tests.Negotiation;

/// <summary>mod_negotiation's choice (best_match, is_variant_better) on variants as MultiViews or a type map would list them.</summary>
public class VariantSelectionTests
{
    private static Variant V(string file, string type, string? lang = null, string? enc = null, string charset = "", long bytes = 10)
    {
        int p = 0;
        var v = new Variant { FileName = file, ContentEncoding = enc, Bytes = bytes };
        v.SetMimeFields(AcceptParser.ParseEntry(type, ref p));
        v.ContentCharset = charset.Length > 0 ? charset : v.ContentCharset;
        if (lang is not null)
        {
            v.ContentLanguages = [.. lang.Split(',')];
        }

        return v;
    }

    private static (bool Choice, string? Best) Choose(
        IEnumerable<Variant> variants, string? accept = null, string? language = null, string? charset = null, string? encoding = null,
        string[]? priority = null, ForceLanguagePriority force = ForceLanguagePriority.Undefined, string? negotiate = null)
    {
        var conf = new NegotiationDirConfig { LanguagePriority = priority is null ? null : [.. priority], ForceLanguagePriority = force };
        NegotiationState neg = NegotiationState.FromHeaders(accept, encoding, language, charset, conf);
        neg.Variants.AddRange(variants);
        neg.IsTransparent = true;
        neg.ParseNegotiateHeader(negotiate, "curl/8");
        neg.AddDefaultAccepts(preferScripts: false);
        bool choice = VariantSelection.BestMatch(neg, out Variant? best);
        return (choice, best?.FileName);
    }

    private static Variant[] Languages() =>
        [V("index.html.de", "text/html", "de"), V("index.html.en", "text/html", "en", bytes: 8), V("index.html.fr", "text/html", "fr")];

    [Fact]
    public void AcceptLanguageChoosesTheLanguage()
    {
        Assert.Equal((true, "index.html.fr"), Choose(Languages(), language: "fr"));
        Assert.Equal((true, "index.html.de"), Choose(Languages(), language: "de, fr;q=0.5"));
        Assert.Equal((true, "index.html.fr"), Choose(Languages(), language: "de;q=0.4, fr;q=0.5"));
    }

    [Fact]
    public void MoreSpecificRangeStillReachesThePlainLanguage()
    {
        // en-US matches neither tag exactly: the fiddle gives en 0.001, better than nothing.
        Assert.Equal((true, "index.html.en"), Choose(Languages(), language: "en-US"));
        // A range matches a longer tag up to a dash.
        Assert.Equal((true, "b.en-gb"), Choose([V("a.fr", "text/html", "fr"), V("b.en-gb", "text/html", "en-gb")], language: "en"));
    }

    [Fact]
    public void WithoutAcceptLanguageTheSmallestWinsUnlessLanguagePriorityRanks()
    {
        Assert.Equal((true, "index.html.en"), Choose(Languages()));
        Assert.Equal((true, "index.html.fr"), Choose(Languages(), priority: ["fr", "en"]));
    }

    [Fact]
    public void ForceLanguagePriorityFallbackServesWhatNoOneAskedFor()
    {
        Assert.Equal((true, "index.html.de"), Choose(Languages(), language: "it", priority: ["de", "en"], force: ForceLanguagePriority.Prefer | ForceLanguagePriority.Fallback));
        Assert.Equal((false, null), Choose(Languages(), language: "it", priority: ["de", "en"], force: ForceLanguagePriority.None));
        // Prefer alone (the default) does not rescue an unacceptable language.
        Assert.Equal((false, null), Choose(Languages(), language: "it", priority: ["de"]));
    }

    [Fact]
    public void PreferBreaksTiesBetweenEquallyAcceptableLanguages()
    {
        Assert.Equal((true, "index.html.fr"), Choose(Languages(), language: "de, fr", priority: ["fr", "de"]));
        Assert.Equal((true, "index.html.de"), Choose(Languages(), language: "de, fr", priority: ["fr", "de"], force: ForceLanguagePriority.None));
    }

    [Fact]
    public void ExplicitTypeBeatsWildcardAndQZeroRefuses()
    {
        // Each request negotiates over fresh variants, as Apache builds them per request.
        Variant[] docs() => [V("doc.html", "text/html"), V("doc.txt", "text/plain", bytes: 6)];
        Assert.Equal((true, "doc.txt"), Choose(docs())); // */* for both: the smaller file
        Assert.Equal((true, "doc.html"), Choose(docs(), accept: "text/html, */*"));
        Assert.Equal((true, "doc.txt"), Choose(docs(), accept: "text/plain;q=0.9, text/html;q=0.1"));
        Assert.Equal((false, null), Choose(docs(), accept: "image/png"));
        Assert.Equal((true, "doc.html"), Choose(docs(), accept: "text/*;q=0.5, text/plain;q=0"));
    }

    [Fact]
    public void SourceQualityFromTypeMapWeighsTheType()
    {
        Variant[] map = [V("a.en.html", "text/html; qs=1"), V("a.fr.html", "text/html; qs=0.5")];
        map[1].ContentLanguages = ["fr"];
        map[0].ContentLanguages = ["en"];
        // Debian's Prefer Fallback keeps en acceptable (0.0001), and its qs doubles fr's.
        Assert.Equal((true, "a.en.html"), Choose(map, language: "fr", priority: ["en", "fr"], force: ForceLanguagePriority.Prefer | ForceLanguagePriority.Fallback));
    }

    [Fact]
    public void CharsetAndEncodingMustBeAcceptable()
    {
        Assert.Equal((false, null), Choose([V("u.html.utf8", "text/html; charset=utf-8")], charset: "iso-8859-1"));
        Assert.Equal((true, "u.html.utf8"), Choose([V("u.html.utf8", "text/html; charset=utf-8")], charset: "utf-8, *;q=0.1"));
        Variant[] enc() => [V("p.ps", "application/postscript", bytes: 100), V("p.ps.gz", "application/postscript", enc: "x-gzip", bytes: 10)];
        Assert.Equal((true, "p.ps"), Choose(enc())); // no Accept-Encoding: identity preferred
        Assert.Equal((true, "p.ps.gz"), Choose(enc(), encoding: "gzip"));
        Assert.Equal((true, "p.ps"), Choose(enc(), encoding: "br"));
        Assert.Equal((false, null), Choose(enc(), encoding: "gzip;q=0, identity;q=0"));
    }

    [Fact]
    public void TcnClientsGetAListUnlessTheyLetTheServerChoose()
    {
        Assert.Equal((false, null), Choose(Languages(), language: "fr", negotiate: "trans"));
        Assert.Equal((true, "index.html.fr"), Choose(Languages(), language: "fr", negotiate: "trans, *"));
        // RVSA/1.0 chooses only a definite variant: one that matched an explicit type, not */*.
        Assert.Equal((false, "index.html.fr"), Choose(Languages(), language: "fr", negotiate: "1.0"));
        Assert.Equal((true, "index.html.fr"), Choose(Languages(), accept: "text/html", language: "fr", negotiate: "1.0"));
    }

    [Fact]
    public void QualityValuesParseAsApacheDoes()
    {
        Assert.Equal(0.5f, AcceptParser.ParseQuality("0.5"));
        Assert.Equal(0.123f, AcceptParser.ParseQuality("0.123"));
        Assert.Equal(0.12f, AcceptParser.ParseQuality("0.120"));
        Assert.Equal(1.0f, AcceptParser.ParseQuality("1"));
        Assert.Equal(1.0f, AcceptParser.ParseQuality("x"));
        Assert.Equal(0.0f, AcceptParser.ParseQuality("0"));
        Assert.Equal(0.7f, AcceptParser.ParseQuality(".7"));
    }
}
