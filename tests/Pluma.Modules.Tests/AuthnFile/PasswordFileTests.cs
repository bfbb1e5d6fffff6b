using System.Linq;
using System.Text;
using Pluma.Modules.AuthnFile;
using Pluma.Modules.AuthzGroupfile;

namespace Pluma.Modules.Tests.AuthnFile;

/// <summary>User and group files read line by line as ap_cfg_getline and ap_getword read them.</summary>
public class PasswordFileTests
{
    [Fact]
    public void ReadsUsersAsMod_authn_file()
    {
        PasswordFile f = PasswordFile.Parse(Encoding.UTF8.GetBytes(
            "# comment\n\n  alice:hash1:extra  \r\nalice:second\nbob::hash2\nnocolon\ncarol:\n#dave:x\n"));
        Assert.Equal("hash1", f.HashOf("alice")); // the first line of a user counts, the hash ends at ':'
        Assert.Equal("hash2", f.HashOf("bob")); // a run of ':' separates as one
        Assert.Equal("", f.HashOf("nocolon"));
        Assert.Equal("", f.HashOf("carol"));
        Assert.Null(f.HashOf("dave"));
        Assert.Null(f.HashOf("Alice"));
    }

    [Fact]
    public void StopsAtALineTooLongForApache()
    {
        string longLine = "x:" + new string('a', 9000) + "\n";
        PasswordFile f = PasswordFile.Parse(Encoding.UTF8.GetBytes("alice:h\n" + longLine + "bob:h\n"));
        Assert.Equal("h", f.HashOf("alice"));
        Assert.Null(f.HashOf("bob"));
    }

    [Fact]
    public void ReadsGroupsAsMod_authz_groupfile()
    {
        GroupFile g = GroupFile.Parse(Encoding.UTF8.GetBytes("staff: alice bob\nothers  : \"carol x\" alice\n# admins: bob\n"));
        Assert.Equal(["others", "staff"], g.GroupsOf("alice").Order());
        Assert.Equal(["staff"], g.GroupsOf("bob"));
        Assert.Equal(["others"], g.GroupsOf("carol x"));
        Assert.Empty(g.GroupsOf("carol"));
    }
}
