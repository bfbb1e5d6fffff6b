using System.Collections.Generic;
using System.IO;
using Pluma.Testing;

namespace Pluma.FunctionalTests;

/// <summary>
/// Basic authentication on a <see cref="TempConfTree"/>: one password file per hash htpasswd
/// (apache2-utils) writes, made once per test run so that Apache's tree and Pluma's get the very
/// same bytes; a group file; a page under /auth/KIND/ for each, and the &lt;Location&gt; sections
/// that protect them. Files sit under conf/auth/ and are named ServerRoot-relative, so both trees
/// carry the same configuration text. authz_groupfile is enabled (Debian ships it disabled).
/// </summary>
internal static class AuthTree
{
    public const string User = "alice";
    public const string Password = "s3cret";
    public const string OtherUser = "bob";
    public const string OtherPassword = "hunter2";

    /// <summary>The hash kinds and the htpasswd flag that writes each.</summary>
    public static readonly IReadOnlyList<(string Kind, string Flag)> Kinds =
    [
        ("bcrypt", "-B"), ("md5", "-m"), ("sha1", "-s"), ("crypt", "-d"), ("sha256", "-2"), ("sha512", "-5"), ("plain", "-p"),
    ];

    private static readonly Lazy<Dictionary<string, byte[]>> s_passwordFiles = new(MakePasswordFiles);

    /// <summary>The whole auth setup, as the differential fixture applies it to both trees.</summary>
    public static void Prepare(TempConfTree tree)
    {
        string auth = Path.Combine(tree.ConfDir, "auth");
        Directory.CreateDirectory(auth);
        foreach ((string name, byte[] bytes) in s_passwordFiles.Value)
        {
            File.WriteAllBytes(Path.Combine(auth, name), bytes);
        }

        File.WriteAllText(Path.Combine(auth, "groups"), "# staff only\nstaff: alice\nothers : carol \"bob\"\n");
        File.CreateSymbolicLink(Path.Combine(tree.ConfDir, "mods-enabled", "authz_groupfile.load"), "../mods-available/authz_groupfile.load");

        var conf = new System.Text.StringBuilder();
        foreach ((string kind, string _) in Kinds)
        {
            Page(tree, kind);
            conf.Append(Location(kind, "AuthType Basic\n    AuthName \"Pluma " + kind + "\"\n    AuthUserFile auth/users-" + kind + "\n    Require valid-user"));
        }

        Page(tree, "user");
        conf.Append(Location("user", "AuthType Basic\n    AuthName \"users\"\n    AuthUserFile auth/users-md5\n    Require user bob carol"));
        Page(tree, "group");
        conf.Append(Location("group", "AuthType Basic\n    AuthName \"group\"\n    AuthUserFile auth/users-md5\n    AuthGroupFile auth/groups\n    Require group staff"));
        Page(tree, "all");
        conf.Append(Location("all", "AuthType Basic\n    AuthName \"all\"\n    AuthUserFile auth/users-md5\n    <RequireAll>\n        Require valid-user\n        Require ip 10.0.0.0/8\n    </RequireAll>"));
        Page(tree, "missing");
        conf.Append(Location("missing", "AuthType Basic\n    AuthName \"missing\"\n    AuthUserFile auth/no-such-file\n    Require valid-user"));
        Page(tree, "noname");
        conf.Append(Location("noname", "AuthType Basic\n    AuthUserFile auth/users-md5\n    Require valid-user"));
        Page(tree, "notype");
        conf.Append(Location("notype", "AuthUserFile auth/users-md5\n    Require valid-user"));
        Page(tree, "quote");
        conf.Append(Location("quote", "AuthType basic\n    AuthName 'say \"hi\"'\n    AuthUserFile auth/users-md5\n    Require valid-user"));
        Page(tree, "forbidden");
        conf.Append(Location("forbidden", "AuthType Basic\n    AuthName \"forbidden\"\n    AuthUserFile auth/users-md5\n    AuthzSendForbiddenOnFailure On\n    Require user carol"));
        Page(tree, "nogroups");
        conf.Append(Location("nogroups", "AuthType Basic\n    AuthName \"nogroups\"\n    AuthUserFile auth/users-md5\n    AuthGroupFile auth/no-such-groups\n    Require group staff"));
        Page(tree, "satisfy");
        conf.Append(Location("satisfy", "AuthType Basic\n    AuthName \"satisfy\"\n    AuthUserFile auth/users-md5\n    Require valid-user\n    Order deny,allow\n    Deny from all\n    Allow from 127.0.0.1\n    Satisfy Any"));
        Page(tree, "satisfyall");
        conf.Append(Location("satisfyall", "AuthType Basic\n    AuthName \"satisfyall\"\n    AuthUserFile auth/users-md5\n    Require valid-user\n    Order deny,allow\n    Deny from all\n    Allow from 127.0.0.1"));
        tree.AppendToMainConfig(conf.ToString());
    }

    /// <summary>"Basic base64(user:password)".</summary>
    public static string Basic(string user, string password) =>
        "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(user + ":" + password));

    private static string Location(string name, string body) => "<Location /auth/" + name + "/>\n    " + body + "\n</Location>\n";

    private static void Page(TempConfTree tree, string name)
    {
        string dir = Path.Combine(tree.DocumentRoot, "auth", name);
        Directory.CreateDirectory(dir);
        string file = Path.Combine(dir, "index.html");
        File.WriteAllText(file, name + " ok\n");
        File.SetLastWriteTimeUtc(file, DifferentialServers.FileTime);
    }

    private static Dictionary<string, byte[]> MakePasswordFiles()
    {
        var files = new Dictionary<string, byte[]>();
        using var dir = new TempDirectory("pluma-htpasswd-");
        foreach ((string kind, string flag) in Kinds)
        {
            string path = Path.Combine(dir.Path, "users-" + kind);
            Htpasswd(["-c", "-b", flag, path, User, Password]);
            Htpasswd(["-b", flag, path, OtherUser, OtherPassword]);
            files["users-" + kind] = File.ReadAllBytes(path);
        }

        return files;
    }

    private static void Htpasswd(IEnumerable<string> args)
    {
        ProcessResult r = ProcessRunner.Run("htpasswd", args);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException("htpasswd failed (apt-get install apache2-utils): " + r.Combined);
        }
    }
}
