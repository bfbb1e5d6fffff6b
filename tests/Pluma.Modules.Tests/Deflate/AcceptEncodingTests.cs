using Pluma.Modules.Deflate;

namespace Pluma.Modules.Tests.Deflate;

/// <summary>
/// Accept-Encoding as Debian's apache2 2.4.71 reads it for mod_deflate (each answer below was
/// observed against it): the first "gzip" element decides, by its first parameter only.
/// </summary>
public class AcceptEncodingTests
{
    [Theory]
    [InlineData("gzip", true)]
    [InlineData("GZIP", true)]
    [InlineData(" gzip", true)]
    [InlineData("deflate ,gzip", true)]
    [InlineData("gzip, deflate, br", true)]
    [InlineData("br;q=1.0, gzip;q=0.8", true)]
    [InlineData("gzip;q=0.001", true)]
    [InlineData("gzip;q=00", true)]
    [InlineData("gzip;q=-1", true)]
    [InlineData("gzip;q=abc", true)]
    [InlineData("gzip;Q=0", true)]
    [InlineData("gzip;level=1", true)]
    [InlineData("gzip;x=1;q=0", true)]
    [InlineData("gzip;q=0", false)]
    [InlineData("gzip;q=0.0", false)]
    [InlineData("gzip;q=0.000", false)]
    [InlineData("gzip; q=0", false)]
    [InlineData("gzip ;q=0", false)]
    [InlineData("gzip;q=0;x=1", false)]
    [InlineData("deflate, gzip;q=0", false)]
    [InlineData("gzip;q=0, gzip", false)]
    [InlineData("x-gzip", false)]
    [InlineData("*", false)]
    [InlineData("identity", false)]
    [InlineData("", false)]
    [InlineData("deflate, br", false)]
    public void GzipIsAcceptedAsApacheDecides(string header, bool expected)
    {
        Assert.Equal(expected, AcceptEncoding.AllowsGzip(header));
    }
}
