using Pluma.Modules.Negotiation;

namespace Pluma.Modules.Tests.Negotiation;

public class TypeMapTests
{
    [Fact]
    public void SectionsBecomeVariants()
    {
        const string Text = "# a comment\nURI: map.en.html\nContent-Type: text/html\nContent-Language: en\n\n"
            + "URI: map.fr.html\nContent-Type: text/html; qs=0.5 (half as good)\nContent-Language: fr,\n  fr-ca\n\n"
            + "URI: inline\nContent-Type: text/plain; charset=UTF-8\nDescription: Deutsch\nContent-Language: de\nBody:----xyz----\nHallo inline\n----xyz----\n\n"
            + "URI: nothing-said\n";
        TypeMap map = TypeMap.Parse(Text, "/srv/map.var");
        Assert.Null(map.Error);
        Assert.Equal(3, map.Variants.Count);
        Assert.Equal("map.en.html", map.Variants[0].FileName);
        Assert.Equal(0.5f, map.Variants[1].SourceQuality);
        Assert.Equal(["fr", "fr-ca"], map.Variants[1].ContentLanguages!);
        Variant body = map.Variants[2];
        Assert.Equal("map.var", body.FileName);
        Assert.Equal("utf-8", body.ContentCharset);
        Assert.Equal("Deutsch", body.Description);
        Assert.Equal("Hallo inline\n", Text.Substring((int)body.BodyOffset, (int)body.Bytes));
    }

    [Fact]
    public void MalformedHeadersAreApachesErrors()
    {
        TypeMap noColon = TypeMap.Parse("URI foo\n", "/m.var");
        Assert.True(noColon.IsFatal);
        Assert.StartsWith("AH00681:", noColon.Error, StringComparison.Ordinal);
        TypeMap noEnd = TypeMap.Parse("URI: a\nContent-Type: text/plain\nBody:END\nno end\n", "/m.var");
        Assert.False(noEnd.IsFatal);
        Assert.StartsWith("AH00685:", noEnd.Error, StringComparison.Ordinal);
        Assert.Empty(noEnd.Variants);
    }

    [Fact]
    public void UnrecognisedNamePartsMustBePartOfTheRequestedName()
    {
        Assert.True(MultiViews.ExceptionsMatch(["index"], "index.html"));
        Assert.True(MultiViews.ExceptionsMatch(["index", "foo"], "index.foo"));
        Assert.False(MultiViews.ExceptionsMatch(["map", "var"], "map"));
        Assert.False(MultiViews.ExceptionsMatch(["index", "foo", "bar"], "index.bar.foo"));
    }
}
