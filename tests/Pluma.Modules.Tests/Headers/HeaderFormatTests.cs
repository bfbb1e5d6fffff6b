using Pluma.Modules.Headers;

namespace Pluma.Modules.Tests.Headers;

public class HeaderFormatTests
{
    [Theory]
    [InlineData("plain")]
    [InlineData("100%% sure")]
    [InlineData("%t %D")]
    [InlineData("%{HOME}e and %{SSL_PROTOCOL}s")]
    public void SpecifiersApacheKnowsParse(string value)
    {
        Assert.NotNull(HeaderFormat.Parse(value, out string? error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("%x", "Unrecognized header format %x")]
    [InlineData("%{VAR}q", "Unrecognized header format %q")]
    [InlineData("50%", "Unrecognized header format %")]
    public void AnUnknownSpecifierIsRefused(string value, string message)
    {
        Assert.Null(HeaderFormat.Parse(value, out string? error));
        Assert.Equal(message, error);
    }
}
