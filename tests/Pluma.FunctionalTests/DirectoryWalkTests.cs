using System.Diagnostics;
using System.IO;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Core's directory walk on the real binary (issue 9, findings 3 and 4): a symbolic link is
/// judged by the Options of the directory that holds it, whichever way it is reached (the
/// request itself, DirectoryIndex, an autoindex entry, ReadmeName/HeaderName), and a directory
/// whose AllowOverride lets an access file change its rules applies that file (more cases in
/// AccessFileTests). Each status beside the cases is what Debian's apache2 2.4 answered on the
/// same tree.
/// </summary>
public sealed class DirectoryWalkTests : IClassFixture<DirectoryWalkTests.Site>
{
    private readonly Site _site;

    public DirectoryWalkTests(Site site)
    {
        _site = site;
    }

    [Fact]
    public void DirectoryIndexThatIsARefusedLinkIsNotServedThroughTheDirectory()
    {
        // Apache: 403 for both, AH00037 for the file, AH00032 for mod_dir's sub-request.
        Assert.Equal(403, Get("/nolinks3/index.html").Status);
        HttpResponseText r = Get("/nolinks3/");
        Assert.Equal(403, r.Status);
        Assert.DoesNotContain("root:", r.BodyText);
        _site.WaitForLog("AH00032: Symbolic link not allowed or link target not accessible: " + _site.Path("nolinks3/index.html"));
    }

    [Fact]
    public void AutoindexHidesRefusedLinksAndLeavesOutALinkedReadme()
    {
        // Apache: the listing has only a.txt; README.html (a link to /etc/passwd) is neither
        // listed nor inserted, nor are the other links.
        HttpResponseText r = Get("/nolinks/");
        Assert.Equal(200, r.Status);
        Assert.Contains("a.txt", r.BodyText);
        Assert.DoesNotContain("root:", r.BodyText);
        Assert.DoesNotContain("README.html", r.BodyText);
        Assert.DoesNotContain("\"lp\"", r.BodyText);
        Assert.DoesNotContain("hn.txt", r.BodyText);
        Assert.Equal(403, Get("/nolinks/lp").Status);
    }

    [Fact]
    public void HeaderNameThatIsARefusedLinkIsLeftOut()
    {
        HttpResponseText r = Get("/nolinkshead/");
        Assert.Equal(200, r.Status);
        Assert.Contains("b.txt", r.BodyText);
        Assert.DoesNotContain("root:", r.BodyText);
    }

    [Fact]
    public void ALinkIsJudgedByTheOptionsOfTheDirectoryHoldingIt()
    {
        // mixed/ has Options None, mixed/inner/ FollowSymLinks, mixed/inner -> /etc. Apache: 403,
        // AH00037 naming the link.
        Assert.Equal(403, Get("/mixed/inner/passwd").Status);
        _site.WaitForLog("AH00037: Symbolic link not allowed or link target not accessible: " + _site.Path("mixed/inner"));

        // The other way round: follow/ allows links and follow/lnk/ (a link) has Options None;
        // the file inside is no link, so Apache serves it.
        HttpResponseText served = Get("/follow/lnk/f.txt");
        Assert.Equal(200, served.Status);
        Assert.Equal("real file\n", served.BodyText);
    }

    [Fact]
    public void FollowSymLinksWhereTheLinkLivesServesItAlsoAsDirectoryIndex()
    {
        Assert.Equal("real file\n", Get("/followidx/").BodyText);
        Assert.Equal("real file\n", Get("/followidx/index.html").BodyText);
    }

    [Fact]
    public void SymLinksIfOwnerMatchComparesTheLinkAndItsTarget()
    {
        Assert.Equal("same owner\n", Get("/owner/same.txt").BodyText);
        Assert.Equal(403, Get("/owner/other.txt").Status);
    }

    [Theory]
    [InlineData("ht-denied")]
    [InlineData("ht-deny")]
    public void AnAccessFileWhereOverridesAreAllowedIsApplied(string dir)
    {
        // Apache: 403 for the file, the directory and a missing file alike.
        HttpResponseText r = Get("/" + dir + "/f.txt");
        Assert.Equal(403, r.Status);
        Assert.DoesNotContain("secret", r.BodyText);
        Assert.Equal(403, Get("/" + dir + "/").Status);
        Assert.Equal(403, Get("/" + dir + "/missing.txt").Status);
    }

    [Fact]
    public void AnAccessFileWithAuthenticationIsNeverServedWithoutIt()
    {
        // Apache: 401. Whether Pluma answers 401 (mod_auth_basic) or refuses the file (500), the
        // secret never goes out.
        HttpResponseText r = Get("/ht-basic/f.txt");
        Assert.True(r.Status is 401 or 500, "status " + r.Status);
        Assert.DoesNotContain("secret", r.BodyText);
    }

    [Fact]
    public void AnAccessFileProtectsTheDirectoriesBelowIt()
    {
        Assert.Equal(403, Get("/ht-parent/sub/f.txt").Status);
        Assert.Equal(403, Get("/ht-parent/sub/").Status);
    }

    [Fact]
    public void AllowOverrideListAllowsOnlyTheDirectivesItNames()
    {
        // Apache: 500, "Require not allowed here".
        Assert.Equal(500, Get("/ht-list/f.txt").Status);
        _site.WaitForLog(_site.Path("ht-list/.htaccess") + ": Require not allowed here");
    }

    [Fact]
    public void AnAccessFileIsIgnoredWhereAllowOverrideIsNone()
    {
        // Apache ignores it: 200. So does a directory that allows overrides but has no file.
        Assert.Equal("secret ht-none\n", Get("/ht-none/f.txt").BodyText);
        Assert.Equal("secret ht-all\n", Get("/ht-all/f.txt").BodyText);
    }

    [Fact]
    public void AnAccessFileThatIsNoRegularFileIsApachesAH00529()
    {
        // Apache: AH00554 and AH00529, 403.
        Assert.Equal(403, Get("/ht-dir/f.txt").Status);
        _site.WaitForLog("AH00529: " + _site.Path("ht-dir/.htaccess") + " pcfg_openfile: unable to check htaccess file, ensure it is readable and that '" + _site.Path("ht-dir/") + "' is executable");
    }

    [Fact]
    public void AccessFileNameIsHonoured()
    {
        using var tree = new TempConfTree();
        foreach (string dir in new[] { "acl", "plain" })
        {
            Directory.CreateDirectory(Path.Combine(tree.DocumentRoot, dir));
            File.WriteAllText(Path.Combine(tree.DocumentRoot, dir, "f.txt"), "secret\n");
            tree.AppendToMainConfig($"<Directory {tree.DocumentRoot}/{dir}>\n    AllowOverride All\n</Directory>");
        }

        File.WriteAllText(Path.Combine(tree.DocumentRoot, "acl", ".acl"), "Require all denied\n");
        File.WriteAllText(Path.Combine(tree.DocumentRoot, "plain", ".htaccess"), "Require all denied\n");
        tree.AppendToMainConfig("AccessFileName .acl .other");
        using var server = PlumaServer.Start(tree);
        Assert.Equal(403, Get(tree.Port, "/acl/f.txt").Status);
        // .htaccess is no longer a name the server looks for.
        Assert.Equal("secret\n", Get(tree.Port, "/plain/f.txt").BodyText);
    }

    [Fact]
    public void AllowOverrideStartsWithoutAWarning()
    {
        Assert.DoesNotContain("AllowOverride", _site.Server.Output + _site.Tree.ErrorLog, StringComparison.Ordinal);
    }

    private HttpResponseText Get(string path) => Get(_site.Tree.Port, path);

    private static HttpResponseText Get(int port, string path)
    {
        using var c = new RawHttp(port);
        c.Send($"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        return c.ReadResponse();
    }

    /// <summary>One tree with every case, served by one server (event MPM, the bundled tree).</summary>
    public sealed class Site : IDisposable
    {
        public Site()
        {
            Assert.True(Environment.UserName == "root", "this fixture changes file owners: run it as root (CI does)");
            Tree = new TempConfTree();
            string conf = "";

            // Finding 4a: DirectoryIndex under Options None.
            Dir("nolinks3");
            Link("nolinks3/index.html", "/etc/passwd");
            conf += Section("nolinks3", "Options None");

            // 4b: autoindex entries and companions.
            Dir("nolinks");
            File.WriteAllText(Path("nolinks/a.txt"), "a\n");
            Link("nolinks/README.html", "/etc/passwd");
            Link("nolinks/lp", "/etc/passwd");
            Link("nolinks/hn.txt", "/etc/hostname");
            conf += Section("nolinks", "Options Indexes", "ReadmeName README.html");
            Dir("nolinkshead");
            File.WriteAllText(Path("nolinkshead/b.txt"), "b\n");
            Link("nolinkshead/HEADER.txt", "/etc/passwd");
            conf += Section("nolinkshead", "Options Indexes", "HeaderName HEADER.txt");

            // 4c: options of the directory holding the link, both ways.
            Dir("mixed");
            Link("mixed/inner", "/etc");
            conf += Section("mixed", "Options None") + Section("mixed/inner", "Options FollowSymLinks");
            Dir("real");
            File.WriteAllText(Path("real/f.txt"), "real file\n");
            Dir("follow");
            Link("follow/lnk", "../real");
            conf += Section("follow/lnk", "Options None");
            Dir("followidx");
            Link("followidx/index.html", "../real/f.txt");
            conf += Section("followidx", "Options FollowSymLinks");

            // SymLinksIfOwnerMatch: the links are root's; one target is nobody's.
            Dir("owner");
            File.WriteAllText(Path("real/same.txt"), "same owner\n");
            File.WriteAllText(Path("real/other.txt"), "other owner\n");
            Assert.Equal(0, ProcessRunner.Run("chown", ["nobody", Path("real/other.txt")]).ExitCode);
            Link("owner/same.txt", "../real/same.txt");
            Link("owner/other.txt", "../real/other.txt");
            conf += Section("owner", "Options SymLinksIfOwnerMatch");

            // Finding 3: access files.
            AccessFile("ht-basic", "AllowOverride All", "AuthType Basic\nAuthName private\nAuthUserFile /nonexistent\nRequire valid-user\n");
            AccessFile("ht-denied", "AllowOverride AuthConfig Limit", "Require all denied\n");
            AccessFile("ht-deny", "AllowOverride All", "Deny from all\n");
            AccessFile("ht-none", "AllowOverride None", "Require all denied\n");
            AccessFile("ht-all", "AllowOverride All", null);
            AccessFile("ht-list", "AllowOverrideList Redirect", "Require all denied\n");
            AccessFile("ht-parent", "AllowOverride All", "Require all denied\n");
            Dir("ht-parent/sub");
            File.WriteAllText(Path("ht-parent/sub/f.txt"), "secret below\n");
            AccessFile("ht-dir", "AllowOverride All", null);
            Dir("ht-dir/.htaccess");

            Tree.AppendToMainConfig(conf);
            Server = PlumaServer.Start(Tree);

            void AccessFile(string dir, string directive, string? content)
            {
                Dir(dir);
                File.WriteAllText(Path(dir + "/f.txt"), "secret " + dir + "\n");
                if (content is not null)
                {
                    File.WriteAllText(Path(dir + "/.htaccess"), content);
                }

                conf += Section(dir, directive);
            }
        }

        public TempConfTree Tree { get; }

        public PlumaServer Server { get; }

        public string Path(string relative) => System.IO.Path.Combine(Tree.DocumentRoot, relative);

        /// <summary>Waits (up to 10 s) for a line containing <paramref name="text"/> in the error log.</summary>
        public void WaitForLog(string text)
        {
            var sw = Stopwatch.StartNew();
            while (!Tree.ErrorLog.Contains(text, StringComparison.Ordinal))
            {
                Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), "not in the error log: " + text + "\n" + Tree.ErrorLog);
                Thread.Sleep(50);
            }
        }

        public void Dispose()
        {
            Server.Dispose();
            Tree.Dispose();
        }

        private void Dir(string relative) => Directory.CreateDirectory(Path(relative));

        private void Link(string relative, string target) => File.CreateSymbolicLink(Path(relative), target);

        private string Section(string relative, params string[] directives) =>
            $"<Directory {Path(relative)}>\n    " + string.Join("\n    ", directives) + "\n</Directory>\n";
    }
}
