using System.Text;
using Pluma.Http.Protocol;
using Xunit;

namespace Pluma.Http.Tests.Protocol;

public class HttpDateTests
{
    private const long Expected = 784111777; // Sun, 06 Nov 1994 08:49:37 GMT

    [Theory]
    [InlineData("Sun, 06 Nov 1994 08:49:37 GMT")]
    [InlineData("Sunday, 06-Nov-94 08:49:37 GMT")]
    [InlineData("Sun Nov  6 08:49:37 1994")]
    [InlineData("Sun, 6 Nov 1994 08:49:37 GMT")]
    [InlineData("  Xyz, 06 Nov 1994 08:49:37 PST")]
    public void AprDateFormsParse(string text)
    {
        Assert.True(HttpDate.TryParseSeconds(Encoding.ASCII.GetBytes(text), out long seconds));
        Assert.Equal(Expected, seconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Sun, 06 Nov 1994 08:49:37")]
    [InlineData("Sun, 31 Apr 1994 08:49:37 GMT")]
    [InlineData("Sun, 29 Feb 1900 08:49:37 GMT")]
    [InlineData("Sun, 06 Nov 1969 08:49:37 GMT")]
    [InlineData("Sun, 06 nov 1994 08:49:37 GMT")]
    [InlineData("Sun, 06 Nov 1994 24:49:37 GMT")]
    [InlineData("1994-11-06T08:49:37Z")]
    public void OtherTextIsNotADate(string text)
    {
        Assert.False(HttpDate.TryParseSeconds(Encoding.ASCII.GetBytes(text), out _));
    }

    [Fact]
    public void LeapDayParses()
    {
        Assert.True(HttpDate.TryParseSeconds("Thu, 29 Feb 2024 00:00:00 GMT"u8, out long seconds));
        Assert.Equal(new DateTimeOffset(2024, 2, 29, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), seconds);
    }
}
