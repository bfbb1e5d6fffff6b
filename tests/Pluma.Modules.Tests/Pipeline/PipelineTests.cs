using System.IO;
using System.Net;
using Pluma.Modules.Tests.Support;
using Pluma.Testing;

namespace Pluma.Modules.Tests.Pipeline;

public class PipelineTests
{
    private static string Body(string response) => response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];

    [Fact]
    public void DirectoryIndexServesTheIndexFileWithItsType()
    {
        using var site = new Site();
        site.Write("docs/index.html", "<p>home</p>");
        site.Configure("<Directory " + site.Root + ">\nRequire all granted\n</Directory>\nDirectoryIndex index.html\n");
        string r = site.Get("/docs/");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", r, StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/html\r\n", r, StringComparison.Ordinal);
        Assert.Equal("<p>home</p>", Body(r));
    }

    [Fact]
    public void TheSameUriOnTwoServersServesEachServersOwnFile()
    {
        // A worker thread remembers its last DocumentRoot + URI mapping: interleaved requests for
        // one URI on two configurations must each get their own file.
        using var one = new Site();
        using var two = new Site();
        one.Write("a.txt", "one");
        two.Write("a.txt", "two");
        one.Configure("<Directory " + one.Root + ">\nRequire all granted\n</Directory>\n");
        two.Configure("<Directory " + two.Root + ">\nRequire all granted\n</Directory>\n");
        Assert.Equal("one", Body(one.Get("/a.txt")));
        Assert.Equal("two", Body(two.Get("/a.txt")));
        Assert.Equal("one", Body(one.Get("/a.txt")));
        Assert.Equal("two", Body(two.Get("/a.txt")));
    }

    [Fact]
    public void DirectoryWithoutSlashIsRedirectedWithTheQuery()
    {
        using var site = new Site();
        site.Write("docs/index.html", "x");
        site.Configure("<Directory " + site.Root + ">\nRequire all granted\n</Directory>\n");
        string r = site.Get("/docs?a=1");
        Assert.StartsWith("HTTP/1.1 301 Moved Permanently\r\n", r, StringComparison.Ordinal);
        Assert.Contains("Location: http://localhost:8080/docs/?a=1\r\n", r, StringComparison.Ordinal);
    }

    [Fact]
    public void ListingIsServedWhenIndexesAreOn()
    {
        using var site = new Site();
        site.Write("files/a.txt", "hello");
        site.Configure("<Directory " + site.Root + ">\nOptions Indexes\nRequire all granted\n</Directory>\nIndexOptions FancyIndexing HTMLTable Charset=UTF-8\n");
        string r = site.Get("/files/");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", r, StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/html;charset=UTF-8\r\n", r, StringComparison.Ordinal);
        Assert.Contains("<a href=\"a.txt\">a.txt</a>", r, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/\">Parent Directory</a>", r, StringComparison.Ordinal);
    }

    [Fact]
    public void ListingIsForbiddenWithoutIndexes()
    {
        using var site = new Site();
        site.Write("files/a.txt", "hello");
        site.Configure("<Directory " + site.Root + ">\nOptions None\nRequire all granted\n</Directory>\n");
        Assert.StartsWith("HTTP/1.1 403 Forbidden\r\n", site.Get("/files/"), StringComparison.Ordinal);
        Assert.Contains("AH01276: Cannot serve directory " + site.Root + "/files/", site.ErrorLog, StringComparison.Ordinal);
    }

    [Fact]
    public void AliasMapsIntoAnotherDirectory()
    {
        using var site = new Site();
        string icons = Path.Combine(site.ServerRoot, "icons");
        Directory.CreateDirectory(icons);
        File.WriteAllText(Path.Combine(icons, "a.png"), "PNG");
        site.Configure("Alias /icons/ " + icons + "/\n<Directory " + icons + ">\nRequire all granted\n</Directory>\n");
        string r = site.Get("/icons/a.png");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", r, StringComparison.Ordinal);
        Assert.Contains("Content-Type: image/png\r\n", r, StringComparison.Ordinal);
    }

    [Fact]
    public void RedirectAnswersWithLocationAndApachesBody()
    {
        using var site = new Site();
        site.Configure("Redirect permanent /old http://example.com/new\n");
        string r = site.Get("/old/page?x=1");
        Assert.StartsWith("HTTP/1.1 301 Moved Permanently\r\n", r, StringComparison.Ordinal);
        Assert.Contains("Location: http://example.com/new/page?x=1\r\n", r, StringComparison.Ordinal);
        Assert.Contains("<p>The document has moved <a href=\"http://example.com/new/page?x=1\">here</a>.</p>", r, StringComparison.Ordinal);
    }

    [Fact]
    public void DeniedClientsGet403AndTheErrorLogLine()
    {
        using var site = new Site();
        site.Write("secret.txt", "s");
        site.Configure("<Directory " + site.Root + ">\nRequire ip 10.0.0.0/8\n</Directory>\n");
        Assert.StartsWith("HTTP/1.1 403 Forbidden\r\n", site.Get("/secret.txt"), StringComparison.Ordinal);
        Assert.Contains("AH01630: client denied by server configuration: " + site.Root + "/secret.txt", site.ErrorLog, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", site.Get("/secret.txt", client: IPAddress.Parse("10.1.2.3")), StringComparison.Ordinal);
    }

    [Fact]
    public void AccessLogGetsOneCombinedLinePerRequest()
    {
        using var site = new Site();
        site.Write("a.txt", "hello");
        site.Configure("<Directory " + site.Root + ">\nRequire all granted\n</Directory>\n"
            + "LogFormat \"%h %l %u \\\"%r\\\" %>s %b \\\"%{Referer}i\\\" \\\"%{User-Agent}i\\\" %U\" mine\nCustomLog logs/access.log mine\n");
        site.Get("/a.txt", "User-Agent: t/1\r\n");
        site.Get("/missing", "Referer: http://r/\r\n");
        string[] lines = File.ReadAllLines(Path.Combine(site.ServerRoot, "logs", "access.log"));
        Assert.Equal(2, lines.Length);
        Assert.Equal("127.0.0.1 - - \"GET /a.txt HTTP/1.1\" 200 5 \"-\" \"t/1\" /a.txt", lines[0]);
        Assert.StartsWith("127.0.0.1 - - \"GET /missing HTTP/1.1\" 404 ", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(" \"http://r/\" \"-\" /missing", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void DirectoryIndexLogsTheIndexFileAsUriLikeApachesFastRedirect()
    {
        using var site = new Site();
        site.Write("docs/index.html", "x");
        site.Configure("<Directory " + site.Root + ">\nRequire all granted\n</Directory>\nCustomLog logs/u.log \"%r %>s %U\"\n");
        site.Get("/docs/");
        Assert.Equal(["GET /docs/ HTTP/1.1 200 /docs/index.html"], File.ReadAllLines(Path.Combine(site.ServerRoot, "logs", "u.log")));
    }

    [Fact]
    public void TheNextRequestOnTheSameThreadCarriesNothingOverFromTheLastOne()
    {
        // The pipeline reuses a thread's request record once the request is logged.
        using var site = new Site();
        site.Write("docs/index.html", "x");
        site.Write("a.txt", "hello");
        site.Configure("<Directory " + site.Root + ">\nRequire all granted\n</Directory>\n"
            + "CustomLog logs/r.log \"%U|%q|%>s|%<s|%{Content-Type}o|%f\"\n");
        site.Get("/docs/?x=1");
        site.Get("/a.txt");
        site.Get("/missing");
        site.Get("/a.txt");
        string f = site.Root;
        Assert.Equal(
            [
                $"/docs/index.html|?x=1|200|200|text/html|{f}/docs/index.html",
                $"/a.txt||200|200|text/plain|{f}/a.txt",
                $"/missing||404|404|text/html|{f}/missing", // %{Content-Type}o drops parameters, as Apache
                $"/a.txt||200|200|text/plain|{f}/a.txt",
            ],
            File.ReadAllLines(Path.Combine(site.ServerRoot, "logs", "r.log")));
    }

    [Fact]
    public void TheRequestLineIsLoggedAsTheBytesTheClientSent()
    {
        // Byte 0xE9 on the wire (Site sends Latin-1): Apache's %r escapes the raw byte, \xe9.
        using var site = new Site();
        site.Configure("<Directory " + site.Root + ">\nRequire all granted\n</Directory>\nCustomLog logs/r.log \"%r\"\n");
        site.Get("/caf\u00e9");
        Assert.Equal(["GET /caf\\xe9 HTTP/1.1"], File.ReadAllLines(Path.Combine(site.ServerRoot, "logs", "r.log")));
    }

    [Fact]
    public void CustomLogEnvConditionSkipsMarkedRequests()
    {
        using var site = new Site();
        site.Write("a.txt", "x");
        site.Configure("<Directory " + site.Root + ">\nRequire all granted\n</Directory>\nCustomLog logs/c.log \"%U\" env=!nolog\n");
        site.Get("/a.txt");
        Assert.Equal(["/a.txt"], File.ReadAllLines(Path.Combine(site.ServerRoot, "logs", "c.log")));
    }

    [Fact]
    public void DebianListingMatchesApacheByteForByte()
    {
        using var site = new Site();
        var old = new DateTime(2026, 1, 2, 3, 4, 0, DateTimeKind.Local);
        var recent = new DateTime(2026, 11, 28, 14, 57, 0, DateTimeKind.Local);
        string dir = Path.Combine(site.Root, "dir");
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        File.WriteAllText(Path.Combine(dir, "sub", "x"), "hi\n");
        void Make(string name, int size, DateTime time)
        {
            string path = Path.Combine(dir, name);
            File.WriteAllBytes(path, new byte[size]);
            File.SetLastWriteTime(path, time);
        }

        Make("a.txt", 6, old);
        Make("big.bin", 3000, old);
        Make("file with space & <amp>.txt", 0, recent);
        Make("huge.gz", 2000000, recent);
        Make("page.html", 8, old);
        Make("script.sh", 3, old);
        Make(".hidden", 1, recent);
        Make("backup~", 1, recent);
        File.CreateSymbolicLink(Path.Combine(dir, "link.txt"), "a.txt");
        Directory.SetLastWriteTime(Path.Combine(dir, "sub"), recent);
        string conf = Path.Combine(RepositoryPaths.ConfTree, "mods-available");
        site.Configure("Include " + conf + "/mime.conf\nInclude " + conf + "/autoindex.conf\n"
            + "TypesConfig mime.types\n<Directory " + site.Root + ">\nOptions Indexes FollowSymLinks\nRequire all granted\n</Directory>\n");
        Assert.Equal(Fixture.Read("dir-default.html"), Body(site.Get("/dir/")));
        Assert.Equal(Fixture.Read("dir-size-desc.html"), Body(site.Get("/dir/?C=S;O=D")));
    }

    [Fact]
    public void ServerStatusAnswersFromTheScoreboard()
    {
        using var site = new Site();
        using var board = Pluma.Scoreboard.Scoreboard.Create(Path.Combine(site.ServerRoot, "scoreboard"), 2, 4, "event");
        board.Process(0).Pid = Environment.ProcessId;
        board.Worker(0, 1).Status = Pluma.Scoreboard.ScoreState.Ready;
        board.Worker(0, 0).Status = Pluma.Scoreboard.ScoreState.BusyWrite;
        site.Configure("<Location /server-status>\nSetHandler server-status\nRequire local\n</Location>\nExtendedStatus On\n").WithScoreboard(board.Snapshot);
        string auto = site.Get("/server-status?auto");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", auto, StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/plain; charset=ISO-8859-1\r\n", auto, StringComparison.Ordinal);
        Assert.StartsWith("localhost\nServerVersion: Apache/2.4.71 (Debian)\nServerMPM: event\n", Body(auto), StringComparison.Ordinal);
        Assert.Contains("BusyWorkers: 1\nGracefulWorkers: 0\nIdleWorkers: 1\nProcesses: 1\n", auto, StringComparison.Ordinal);
        Assert.EndsWith("Scoreboard: W_......\n", auto, StringComparison.Ordinal);
        Assert.Contains("Refresh: 5\r\n", site.Get("/server-status?refresh=5"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 403 Forbidden\r\n", site.Get("/server-status", client: IPAddress.Parse("10.0.0.9")), StringComparison.Ordinal);
    }
}
