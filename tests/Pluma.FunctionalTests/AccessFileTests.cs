using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Access files (.htaccess) on the real binary: what each override class lets a file change,
/// Apache's 500 with the file and reason for a directive that is unknown or not allowed, 403 for
/// one that cannot be read, a changed file taken up without a restart, and nothing looked for
/// where AllowOverride is None. <see cref="AccessFileDifferentialTests"/> compares the same cases
/// with Debian's apache2; the statuses beside the cases are its answers.
/// </summary>
public sealed class AccessFileTests : IClassFixture<AccessFileTests.Site>
{
    private readonly Site _site;

    public AccessFileTests(Site site)
    {
        _site = site;
    }

    [Fact]
    public void OptionsIndexesDirectoryIndexAndRequireComeFromTheFile()
    {
        Assert.Equal(403, Get("/ht-noindexes/").Status);
        Assert.Equal(200, Get("/ht-noindexes/f.txt").Status);
        Assert.Equal("the index page\n", Get("/ht-index/").BodyText);
        Assert.Equal(403, Get("/ht-denied/f.txt").Status);
        Assert.Equal(403, Get("/ht-deny/f.txt").Status);
        Assert.Equal("outer page\n", Get("/ht-nested/").BodyText);
        Assert.Equal("inner page\n", Get("/ht-nested/sub/").BodyText);
    }

    [Fact]
    public void FileInfoDirectivesAndFilesSectionsApply()
    {
        HttpResponseText notFound = Get("/ht-errordoc/missing.txt");
        Assert.Equal(404, notFound.Status);
        Assert.Equal("<p>custom 404</p>\n", notFound.BodyText);
        Assert.Equal("text/x-foo", Get("/ht-types/a.foo").Header("Content-Type"));
        Assert.Equal("text/x-forced", Get("/ht-types/force.bin").Header("Content-Type"));
        Assert.Equal(403, Get("/ht-files/secret.txt").Status);
        Assert.Equal(200, Get("/ht-files/f.txt").Status);
    }

    [Fact]
    public void AllowOverrideNoneIgnoresTheFile()
    {
        Assert.Equal("file in ht-none\n", Get("/ht-none/f.txt").BodyText);
    }

    [Fact]
    public void AllowOverrideListAllowsTheNamedDirectivesOnly()
    {
        Assert.Equal("listed index\n", Get("/ht-list/").BodyText);
        Assert.Equal(500, Get("/ht-listonly/f.txt").Status);
        _site.WaitForLog(_site.Path("ht-listonly/.htaccess") + ": AddType not allowed here");
    }

    [Fact]
    public void NonfatalSkipsWhatIsNotAllowedWithAWarning()
    {
        HttpResponseText r = Get("/ht-nonfatal/f.txt");
        Assert.Equal(200, r.Status);
        Assert.StartsWith("text/x-nonfatal", r.Header("Content-Type"), StringComparison.Ordinal);
        _site.WaitForLog("AH02296: Unknown directive bogus perhaps misspelled");
        _site.WaitForLog("AH02295: DirectoryIndex in .htaccess forbidden by AllowOverride");
    }

    [Theory]
    [InlineData("ht-invalid", "Invalid command 'Foo', perhaps misspelled or defined by a module not included in the server configuration")]
    [InlineData("ht-notallowed", "Require not allowed here")]
    [InlineData("ht-option", "Option ExecCGI not allowed here")]
    [InlineData("ht-include", "Include not allowed here")]
    [InlineData("ht-args", "ForceType takes one argument, a mime type that overrides other configured type")]
    public void ABadDirectiveIs500WithTheFileAndReason(string dir, string reason)
    {
        HttpResponseText r = Get("/" + dir + "/f.txt");
        Assert.Equal(500, r.Status);
        Assert.DoesNotContain("file in", r.BodyText);
        _site.WaitForLog("[core:alert]");
        _site.WaitForLog(_site.Path(dir + "/.htaccess") + ": " + reason);
    }

    [Fact]
    public void ADirectiveNotBuiltYetIsRefusedNotIgnored()
    {
        string dir = _site.NewCase("ht-pending", "QualifyRedirectURL On\n");
        Assert.Equal(500, Get("/" + dir + "/f.txt").Status);
        _site.WaitForLog(_site.Path(dir + "/.htaccess") + ": PL00200: QualifyRedirectURL is not implemented yet");
    }

    [Fact]
    public void AnAccessFileThatIsADirectoryIs403()
    {
        Assert.Equal(403, Get("/ht-isdir/f.txt").Status);
        _site.WaitForLog("AH00554: Access to file " + _site.Path("ht-isdir/.htaccess") + " denied by server: not a regular file");
    }

    [Fact]
    public void AnUnreadableAccessFileIs403AndNeverServedWithoutItsRules()
    {
        // The server's children run as www-data when root starts it (the bundled envvars), as
        // Apache's do: a mode 000 file is unreadable to them, as to any non-root owner.
        string dir = _site.NewCase("ht-unreadable", "DirectoryIndex f.txt\n");
        Assert.Equal(0, ProcessRunner.Run("chmod", ["000", _site.Path(dir + "/.htaccess")]).ExitCode);
        HttpResponseText r = Get("/" + dir + "/f.txt");
        Assert.Equal(403, r.Status);
        Assert.Contains("Server unable to read htaccess file, denying access to be safe", r.BodyText);
        _site.WaitForLog("AH00529: " + _site.Path(dir + "/.htaccess") + " pcfg_openfile: unable to check htaccess file, ensure it is readable and that '" + _site.Path(dir + "/") + "' is executable");

        // Readable again (a chmod changes the file's ctime): applied at once.
        Assert.Equal(0, ProcessRunner.Run("chmod", ["644", _site.Path(dir + "/.htaccess")]).ExitCode);
        Assert.Equal("file in " + dir + "\n", Get("/" + dir + "/").BodyText);
    }

    [Fact]
    public void AChangedFileIsTakenUpWithoutARestart()
    {
        string dir = _site.NewCase("ht-change", "Require all denied\n");
        string file = _site.Path(dir + "/.htaccess");
        Assert.Equal(403, Get("/" + dir + "/f.txt").Status);

        // Same size, same second: the cache must still see the new file.
        File.WriteAllText(file, "Require all granted\n");
        Assert.Equal(200, Get("/" + dir + "/f.txt").Status);
        File.WriteAllText(file, "Require all denied\n");
        Assert.Equal(403, Get("/" + dir + "/f.txt").Status);
        File.WriteAllText(file, "Nonsense here\n");
        Assert.Equal(500, Get("/" + dir + "/f.txt").Status);
        File.Delete(file);
        Assert.Equal(200, Get("/" + dir + "/f.txt").Status);
        File.WriteAllText(file, "Require all denied\n");
        Assert.Equal(403, Get("/" + dir + "/f.txt").Status);
    }

    [Fact]
    public void TheStockFilesMatchKeepsAccessFilesPrivate()
    {
        Assert.Equal(403, Get("/ht-denied/.htaccess").Status);
    }

    [Fact]
    public void AllowOverrideNoneLooksForNoAccessFile()
    {
        // strace on the serving child: a request under AllowOverride None names no .htaccess in
        // any system call; one into an AllowOverride All directory does.
        int child = _site.ChildPid();
        string log = Path.Combine(_site.Tree.Top, "strace.out");
        using var strace = Process.Start(new ProcessStartInfo("strace", ["-f", "-qq", "-e", "trace=%file", "-o", log, "-p", child.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        try
        {
            // Attached once a request's syscalls show up.
            var sw = Stopwatch.StartNew();
            while (!(File.Exists(log) && File.ReadAllText(log).Contains("ht-none/f.txt", StringComparison.Ordinal)))
            {
                Assert.True(sw.Elapsed < TimeSpan.FromSeconds(20), "strace saw no request");
                Get("/ht-none/f.txt");
                Thread.Sleep(100);
            }

            string before = File.ReadAllText(log);
            Assert.DoesNotContain(".htaccess", before, StringComparison.Ordinal);
            Get("/ht-index/");
            sw.Restart();
            while (!File.ReadAllText(log).Contains("ht-index/.htaccess", StringComparison.Ordinal))
            {
                Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), "strace saw no look for ht-index/.htaccess:\n" + File.ReadAllText(log));
                Thread.Sleep(50);
            }
        }
        finally
        {
            strace.Kill();
            strace.WaitForExit(5_000);
        }
    }

    private HttpResponseText Get(string path)
    {
        using var c = new RawHttp(_site.Tree.Port);
        c.Send($"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        return c.ReadResponse();
    }

    /// <summary>The bundled tree with <see cref="AccessFileSite"/>'s cases and a few made by the tests, on one prefork child.</summary>
    public sealed class Site : IDisposable
    {
        private const string Extra = "ht-extra";

        public Site()
        {
            Tree = new TempConfTree();
            Tree.SwitchMpm("prefork");
            Tree.AppendToMainConfig("StartServers 1\nMinSpareServers 1\nMaxSpareServers 1\nMaxRequestWorkers 1");
            AccessFileSite.AddTo(Tree);

            // Cases the tests fill in later, allowed now (a section needs a restart).
            foreach (string name in new[] { "ht-pending", "ht-unreadable", "ht-change" })
            {
                string allow = name == "ht-pending" ? "AllowOverride FileInfo" : "AllowOverride All";
                Directory.CreateDirectory(Path(Extra + "/" + name));
                Tree.AppendToMainConfig($"<Directory {Path(Extra + "/" + name)}>\n    {allow}\n</Directory>");
            }

            Server = PlumaServer.Start(Tree);
        }

        public TempConfTree Tree { get; }

        public PlumaServer Server { get; }

        public string Path(string relative) => System.IO.Path.Combine(Tree.DocumentRoot, relative);

        /// <summary>Fills in one of the directories allowed at start: its f.txt and .htaccess; returns its URL path.</summary>
        public string NewCase(string name, string accessFile)
        {
            string dir = Extra + "/" + name;
            File.WriteAllText(Path(dir + "/f.txt"), "file in " + dir + "\n");
            File.WriteAllText(Path(dir + "/.htaccess"), accessFile);
            return dir;
        }

        /// <summary>The one prefork child that serves.</summary>
        public int ChildPid()
        {
            var sw = Stopwatch.StartNew();
            while (true)
            {
                IReadOnlyList<int> children = ProcFs.Children(Server.Pid);
                if (children.Count == 1)
                {
                    return children[0];
                }

                Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), "expected one child, found " + children.Count);
                Thread.Sleep(100);
            }
        }

        /// <summary>Waits (up to 10 s) for <paramref name="text"/> in the error log.</summary>
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
    }
}
