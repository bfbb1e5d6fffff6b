using Pluma.Modules.Core;

namespace Pluma.Modules.Tests.Core;

/// <summary>User/Group ids as httpd's ap_uname2id and ap_gname2id read them (atoi after '#').</summary>
public sealed class UnixIdentityTests
{
    [Theory]
    [InlineData("33", 33u)]
    [InlineData("-1", 4294967295u)]
    [InlineData("-5", 4294967291u)]
    [InlineData("12abc", 12u)]
    [InlineData("abc", 0u)]
    [InlineData("", 0u)]
    [InlineData("  +7", 7u)]
    [InlineData("4294967296", 0u)] // strtol's long, then atoi's int: the low 32 bits
    [InlineData("99999999999999999999", 4294967295u)] // strtol saturates at LONG_MAX
    public void NumberFormsReadAsAtoi(string digits, uint expected) => Assert.Equal(expected, UnixIdentity.Atoi(digits));

    [Fact]
    public void NamesResolveThroughThePasswdAndGroupDatabases()
    {
        Assert.Equal(0u, UnixIdentity.UserId("root"));
        Assert.Equal(0u, UnixIdentity.GroupId("root"));
        Assert.Null(UnixIdentity.UserId("www-dta"));
        Assert.Null(UnixIdentity.GroupId("www-dta"));
        Assert.Equal(4294967295u, UnixIdentity.UserId("#-1"));
    }
}
