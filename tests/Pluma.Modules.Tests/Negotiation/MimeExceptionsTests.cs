using Pluma.Modules.Mime;

namespace Pluma.Modules.Tests.Negotiation;

/// <summary>mod_mime's exceptions list, which decides what MultiViews may offer (find_ct, MultiviewsMatch).</summary>
public class MimeExceptionsTests
{
    private static readonly MimeTypes Types = MimeTypes.Parse("text/html html\ntext/plain txt\n");

    private static (bool Found, string Exceptions) Classify(string name, MimeDirConfig? conf = null)
    {
        var r = new MimeResult { WantExceptions = true };
        MimeLookup.Resolve(name, conf, Types, r);
        return (r.FoundMetadata, string.Join(' ', r.Exceptions));
    }

    private static MimeDirConfig Conf(params string[] multiviewsMatch)
    {
        var c = new MimeDirConfig();
        c.Add(MimeField.Language, "en", "en");
        c.Add(MimeField.Handler, "type-map", "var");
        foreach (string w in multiviewsMatch)
        {
            Assert.Null(c.AddMultiviewsMatch(w));
        }

        return c;
    }

    [Fact]
    public void BaseNameAndUnknownPartsAreExceptions()
    {
        Assert.Equal((true, "index"), Classify("/d/index.html.en", Conf()));
        Assert.Equal((true, "index foo"), Classify("/d/index.foo.html", Conf()));
        Assert.Equal((false, "weird foo"), Classify("/d/weird.foo", Conf()));
    }

    [Fact]
    public void HandlersCountOnlyWhenMultiviewsMatchSaysSo()
    {
        Assert.Equal((false, "map var"), Classify("/d/map.var", Conf()));
        Assert.Equal((true, "map"), Classify("/d/map.var", Conf("Handlers")));
        Assert.Equal((true, "weird"), Classify("/d/weird.foo", Conf("Any")));
    }

    [Fact]
    public void MultiviewsMatchRefusesApachesContradictions()
    {
        var c = new MimeDirConfig();
        Assert.Null(c.AddMultiviewsMatch("Handlers"));
        Assert.Null(c.AddMultiviewsMatch("Filters"));
        Assert.Equal("Any is incompatible with NegotiatedOnly, Filters or Handlers", c.AddMultiviewsMatch("Any"));
        Assert.Equal("Unrecognized option 'bogus'", new MimeDirConfig().AddMultiviewsMatch("bogus"));
    }
}
