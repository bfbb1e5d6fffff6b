using Pluma.Modules.Expires;

namespace Pluma.Modules.Tests.Expires;

public class ExpiresCodeTests
{
    [Theory]
    [InlineData("A86400", false, 86400)]
    [InlineData("M60", true, 60)]
    [InlineData("A", false, 0)]
    [InlineData("access plus 1 month", false, 30L * 86400)]
    [InlineData("now plus 2 hours 30 minutes", false, 9000)]
    [InlineData("modification plus 1 year", true, 365L * 86400)]
    [InlineData("access 1 week", false, 7L * 86400)]
    [InlineData("access Plus 1 Day 1 Second", false, 86401)]
    [InlineData("Access plus 1 day", false, 0)] // check_code: a leading A or M is the old form, atoi of the rest
    public void BothSpellingsGiveTheBaseAndSeconds(string code, bool fromModification, long seconds)
    {
        ExpiresCode? parsed = ExpiresCode.Parse(code, out string? error);
        Assert.Null(error);
        Assert.Equal(new ExpiresCode(fromModification, seconds), parsed);
    }

    [Theory]
    [InlineData("later plus 1 day", "bad expires code, unrecognised <base> 'later'")]
    [InlineData("access plus one day", "bad expires code, numeric value expected <num> 'one'")]
    [InlineData("access plus 1", "bad expires code, missing <type>")]
    [InlineData("access plus 1 fortnight", "bad expires code, unrecognised <type> 'fortnight'")]
    public void ABadCodeGetsApachesMessage(string code, string message)
    {
        Assert.Null(ExpiresCode.Parse(code, out string? error));
        Assert.Equal(message, error);
    }
}
