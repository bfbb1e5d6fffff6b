using System.IO;
using System.Text;
using Pluma.Modules.LogConfig;
using Pluma.Modules.Tests.Support;
using Pluma.Testing;

namespace Pluma.Modules.Tests.LogConfig;

public class LogFormatTests
{
    private static string Render(string format, ILogSource source)
    {
        LogFormat f = LogFormatParser.Parse(format, out string? error) ?? throw new InvalidOperationException(error);
        var b = new LogBuffer();
        LogRenderer.Render(f, source, b);
        return Encoding.UTF8.GetString(b.Written);
    }

    [Fact]
    public void CombinedLineMatchesApache()
    {
        var s = new FakeLogSource();
        s.In["User-Agent"] = "curl/8.5.0";
        Assert.Equal("127.0.0.1 - - [28/Nov/2026:14:41:11 +0000] \"GET /index.html HTTP/1.1\" 200 10979 \"-\" \"curl/8.5.0\"",
            Render(LogFormat.Combined, s));
    }

    [Fact]
    public void CommonAndVhostCombinedLinesMatchApache()
    {
        var s = new FakeLogSource { RequestTime = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5.5)) };
        s.In["Referer"] = "http://a/";
        Assert.Equal("127.0.0.1 - - [02/Jan/2026:03:04:05 -0530] \"GET /index.html HTTP/1.1\" 200 10979", Render(LogFormat.Common, s));
        Assert.Equal("www.example.com:80 127.0.0.1 - - [02/Jan/2026:03:04:05 -0530] \"GET /index.html HTTP/1.1\" 200 10979 \"http://a/\" \"-\"",
            Render(LogFormat.VhostCombined, s));
    }

    [Fact]
    public void ClfBytesPrintsDashForZero()
    {
        var s = new FakeLogSource { BodyBytes = 0 };
        Assert.Equal("- 0", Render("%b %B", s));
    }

    [Fact]
    public void QuotesBackslashesControlAndNonAsciiBytesAreEscaped()
    {
        var s = new FakeLogSource { RequestLineText = "GET /a\"b\\c\td\u00e9 HTTP/1.1" };
        Assert.Equal("GET /a\\\"b\\\\c\\td\\xc3\\xa9 HTTP/1.1", Render("%r", s));
    }

    [Fact]
    public void ClientDataIsEscapedAsApacheWritesItSoOneRequestIsOneLine()
    {
        // Header fields and the query are the request's bytes read as latin-1: a raw 0xE9 is
        // \xe9 (apache2 2.4.71 logs "r\"\\\xe9\tz" for Referer r"\<E9><TAB>z), not its UTF-8 form.
        var s = new FakeLogSource { OriginalUriPath = "/a\nb\u001bc", Query = "q=%0a\u001b\"\\\u00e9" };
        s.In["Referer"] = "r\"\\\u00e9\tz";
        s.In["User-Agent"] = "u\u00c3\u00a9\n[forged]";
        s.In["Cookie"] = "a=\u001bx";
        Assert.Equal(
            "\"r\\\"\\\\\\xe9\\tz\" \"u\\xc3\\xa9\\n[forged]\" U=/a\\nb\\x1bc q=?q=%0a\\x1b\\\"\\\\\\xe9 C=\\x1bx",
            Render("\"%{Referer}i\" \"%{User-Agent}i\" U=%U q=%q C=%{a}C", s));
    }

    [Fact]
    public void StatusConditionsPrintDashWhenNotMet()
    {
        var s = new FakeLogSource { FinalStatus = 404 };
        s.In["Referer"] = "r";
        Assert.Equal("r -", Render("%404{Referer}i %!404{Referer}i", s));
    }

    [Fact]
    public void OriginalAndFinalStatusAndUriDiffer()
    {
        var s = new FakeLogSource { OriginalStatus = 302, FinalStatus = 200 };
        Assert.Equal("302 302 200 / /index.html", Render("%s %<s %>s %U %>U", s));
    }

    [Fact]
    public void EmptyUserIsQuotedAndMissingUserIsDash()
    {
        Assert.Equal("-", Render("%u", new FakeLogSource()));
        Assert.Equal("\"\"", Render("%u", new FakeLogSource { User = string.Empty }));
        Assert.Equal("bob", Render("%u", new FakeLogSource { User = "bob" }));
    }

    [Fact]
    public void EveryCommonDirectiveRenders()
    {
        var s = new FakeLogSource { Query = "x=1", Handler = "server-status" };
        s.Out["Content-Type"] = "text/html; charset=UTF-8";
        s.Env["HTTPS"] = "on";
        Assert.Equal(
            "127.0.0.1 127.0.0.1 - 1534 0 1 1534 localhost 80 8080 51234 4242 139872 22260 ?x=1 HTTP/1.1 GET /var/www/html/index.html + 0 - server-status text/html on 120 11099 %",
            Render("%a %A %l %D %T %{ms}T %{us}T %V %p %{local}p %{remote}p %P %{tid}P %{hextid}P %q %H %m %f %X %k %L %R %{Content-Type}o %{HTTPS}e %I %S %%", s));
    }

    [Fact]
    public void TimeFormatsFollowStrftimeAndApachesExtensions()
    {
        var s = new FakeLogSource();
        Assert.Equal("2026-11-28 14:41:11 1795876871 1795876871000 000", Render("%{%Y-%m-%d %T}t %{sec}t %{msec}t %{msec_frac}t", s));
        Assert.Equal("[28/Nov/2026:14:41:11 +0000]", Render("%{begin:}t", s));
    }

    [Fact]
    public void LiteralEscapesAreApplied()
    {
        Assert.Equal("a\tb\\", Render("a\\tb\\\\", new FakeLogSource()));
    }

    [Theory]
    [InlineData("%Z", "Unrecognized LogFormat directive %Z")]
    [InlineData("%{abc", "Ran off end of LogFormat parsing args to some directive")]
    public void BadFormatsAreRefused(string format, string error)
    {
        Assert.Null(LogFormatParser.Parse(format, out string? e));
        Assert.Equal(error, e);
    }

    /// <summary>A letter another module registers (as mod_ssl's %x) is known only where that module is loaded.</summary>
    [Fact]
    public void ARegisteredLetterIsKnownOnlyWhereItsModuleIsLoaded()
    {
        ModuleLogItems.Register('j', "test_letter_module", (_, arg) => arg);
        Assert.Null(LogFormatParser.Parse("%{A}j", out string? e, _ => false));
        Assert.Equal("Unrecognized LogFormat directive %j", e);
        LogFormat? f = LogFormatParser.Parse("%h %{A}j", out e, m => m == "test_letter_module");
        Assert.NotNull(f);
        Assert.Equal(LogItemKind.ModuleItem, f.Items[^1].Kind);
        Assert.Equal("A", f.Items[^1].Argument);
    }

    [Fact]
    public void CustomLogResolvesNicknamesAndPaths()
    {
        var log = LogConfigModule.Create();
        var config = ConfigFixture.Load(
            "LogFormat \"%h %l %u %t \\\"%r\\\" %>s %O\" common\nCustomLog logs/access.log common env=!dontlog\nTransferLog /tmp/t.log\n", log);
        LogConfigServerConfig conf = ConfigFixture.Server<LogConfigServerConfig>(config, log);
        Assert.Equal(2, conf.Logs.Count);
        Assert.Equal(LogFormat.Common, conf.ResolveFormat(conf.Logs[0]));
        Assert.EndsWith("/logs/access.log", conf.Logs[0].Path);
        Assert.Equal("dontlog", conf.Logs[0].EnvCondition);
        Assert.True(conf.Logs[0].NegateEnv);
        Assert.Equal(LogFormatParser.DefaultFormat, conf.ResolveFormat(conf.Logs[1]));
    }

    [Fact]
    public void LogFileAppendsWholeLines()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("a.log");
        using (LogFile f = LogFile.Open(path))
        {
            f.Write("one\n"u8);
            f.Write("two\n"u8);
        }

        using (LogFile f = LogFile.Open(path))
        {
            f.Write("three\n"u8);
        }

        Assert.Equal("one\ntwo\nthree\n", File.ReadAllText(path));
    }
}
