using Pluma.Config;

namespace Pluma.Modules.Core;

/// <summary>User and Group (mod_unixd.c's unixd_set_user/unixd_set_group).</summary>
public static partial class CoreModule
{
    // mod_unixd.c, unixd_set_user, as Debian builds it (without BIG_SECURITY_HOLE). httpd's
    // logger escapes the tabs and newlines of the message, so apache2 prints "\t" and "\n" as
    // two characters each: the text here is what the administrator sees.
    internal const string RootRefusal =
        "Error:\\tApache has not been designed to serve pages while\\n" +
        "\\trunning as root.  There are known race conditions that\\n" +
        "\\twill allow any local user to read any file on the system.\\n" +
        "\\tIf you still desire to serve pages as root then\\n" +
        "\\tadd -DBIG_SECURITY_HOLE to the CFLAGS env variable\\n" +
        "\\tand then rebuild the server.\\n" +
        "\\tIt is strongly suggested that you instead modify the User\\n" +
        "\\tdirective in your httpd.conf file to list a non-root\\n" +
        "\\tuser.\\n";

    private static string? SetUser(DirectiveCall call)
    {
        // ap_uname2id: a name that is not in the passwd database stops httpd while it reads the
        // directive (AH00543 and exit 1), so -t reports it too, as root or not.
        string name = call.Args[0];
        uint uid = UnixIdentity.UserId(name) ?? throw ConfigException.Startup("AH00543", "bad user name " + name);
        MainServerSettings main = call.GetServerRecord<CoreServerConfig>().Main;
        main.User = name;
        main.UserId = uid;
        // uid 0 by name or number ("#0", and "#abc", which atoi reads as 0) is refused whoever runs -t.
        return uid == 0 ? RootRefusal : null;
    }

    private static string? SetGroup(DirectiveCall call)
    {
        string name = call.Args[0];
        uint gid = UnixIdentity.GroupId(name) ?? throw ConfigException.Startup("AH00544", "bad group name " + name);
        MainServerSettings main = call.GetServerRecord<CoreServerConfig>().Main;
        main.Group = name;
        main.GroupId = gid;
        return null;
    }
}
