using Pluma.Modules.VhostAlias;

namespace Pluma.Modules.Tests.VhostAlias;

/// <summary>The %N.M interpolation on the examples of Apache's mod_vhost_alias manual and its edges.</summary>
public class VhostAliasFormatTests
{
    [Theory]
    [InlineData("/%0", "/www.domain.example.com")]
    [InlineData("/%1", "/www")]
    [InlineData("/%2", "/domain")]
    [InlineData("/%-1", "/com")]
    [InlineData("/%-2", "/example")]
    [InlineData("/%2+", "/domain.example.com")]
    [InlineData("/%-2+", "/www.domain.example")]
    [InlineData("/%5", "/_")]
    [InlineData("/%-5", "/_")]
    [InlineData("/%2.1/%2.2/%2.3/%2+", "/d/o/m/domain.example.com")]
    [InlineData("/%2.-1/%2.-2/%2.-3", "/n/i/a")]
    [InlineData("/%2.2+", "/omain")]
    [InlineData("/%2.-2+", "/domai")]
    [InlineData("/%1.4", "/_")]
    [InlineData("/%5.1", "/_")]
    [InlineData("/%%/%p", "/%/8080")]
    public void InterpolatesAsApacheDocumentsIt(string format, string expected)
    {
        Assert.Null(VhostAliasFormat.Check(format));
        Assert.Equal(expected, VhostAliasFormat.Interpolate(format, "WWW.Domain.Example.com", 8080));
    }

    [Theory]
    [InlineData("/srv/%0/", "/srv/a.b")]
    [InlineData("/srv/%0", "/srv/a.b")]
    [InlineData("/srv/%%", "/srv/%")]
    public void DropsOneTrailingSlash(string format, string expected) =>
        Assert.Equal(expected, VhostAliasFormat.Interpolate(format, "a.b", 80));

    [Theory]
    [InlineData("/srv/%x")]
    [InlineData("/srv/%")]
    [InlineData("/srv/%-")]
    [InlineData("/srv/%1.")]
    [InlineData("/srv/%1.-+")]
    public void RefusesMalformedFormats(string format) =>
        Assert.Equal("syntax error in format string", VhostAliasFormat.Check(format));

    [Fact]
    public void APartPastTheNineteenthRunsToTheEndOfTheName()
    {
        string name = "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u";
        Assert.Equal("/s.t.u", VhostAliasFormat.Interpolate("/%-1", name, 80));
    }
}
