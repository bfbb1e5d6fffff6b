using System.Text;
using Pluma.Modules.AuthBasic;

namespace Pluma.Modules.Tests.AuthBasic;

/// <summary>The Authorization field read as get_basic_auth and apr_base64_decode read it.</summary>
public class BasicCredentialsTests
{
    [Theory]
    [InlineData("Basic YWxpY2U6czNjcmV0", "alice", "s3cret")]
    [InlineData("basic YWxpY2U6czNjcmV0", "alice", "s3cret")]
    [InlineData("BASIC \t  YWxpY2U6czNjcmV0", "alice", "s3cret")]
    [InlineData("Basic YWxpY2U", "alice", "")] // no colon: all user, empty password
    [InlineData("Basic YWxpY2U6czNjcmV0OmV4dHJh", "alice", "s3cret:extra")]
    [InlineData("Basic YWxp*Y2U6czNjcmV0", "ali", "")] // decoding stops at a character outside base64
    [InlineData("Basic YWxpY2U6czNjcmV0AHRhaWw=", "alice", "s3cret")] // ends at the NUL byte
    [InlineData("Basic", "", "")]
    [InlineData("Basic !!!!", "", "")]
    [InlineData("Basic Og==", "", "")]
    public void ParsesAsApache(string field, string user, string password)
    {
        Assert.Equal(BasicCredentials.Outcome.Parsed, BasicCredentials.Parse(field, out string? u, out byte[] p, out string forLog));
        Assert.Equal(user, u);
        Assert.Equal(user, forLog);
        Assert.Equal(password, Encoding.UTF8.GetString(p));
    }

    [Theory]
    [InlineData("Bearer YWxpY2U6czNjcmV0")]
    [InlineData("Basic\tYWxpY2U6czNjcmV0")] // the scheme is the text up to the first space
    [InlineData("Digest username=alice")]
    [InlineData("")]
    public void AnotherSchemeIsRefused(string field)
    {
        Assert.Equal(BasicCredentials.Outcome.WrongScheme, BasicCredentials.Parse(field, out _, out _, out _));
    }

    [Fact]
    public void AUserThatIsNotUtf8MatchesNoLine()
    {
        string field = "Basic " + Convert.ToBase64String([0x61, 0xff, (byte)':', 0x78]);
        BasicCredentials.Parse(field, out string? user, out byte[] password, out string forLog);
        Assert.Null(user);
        Assert.Equal("a\u00ff", forLog);
        Assert.Equal("x"u8.ToArray(), password);
    }

    [Theory]
    [InlineData("YQ", "a")]
    [InlineData("YWI", "ab")]
    [InlineData("YWJj", "abc")]
    [InlineData("YWJjZ", "abc")] // a lone trailing character is ignored
    [InlineData("YWJj=ZGVm", "abc")]
    public void DecodesThePrefixAsAprDoes(string text, string expected)
    {
        Assert.Equal(expected, Encoding.ASCII.GetString(BasicCredentials.Decode(text)));
    }
}
