using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Client data that reaches a response head or a log (issue 9, findings 2 and 8): the same raw
/// requests to Debian's apache2 and to bin/pluma on the same configuration; Pluma must write
/// what Apache writes, and never a header line or a log line the client made up.
/// </summary>
public sealed partial class EscapingTests : IClassFixture<EscapingServers>
{
    private readonly EscapingServers _servers;

    public EscapingTests(EscapingServers servers)
    {
        _servers = servers;
    }

    [Theory]
    // The security review's two RedirectMatch forms: Apache answers 302 with the CR LF escaped.
    [InlineData("/rc/x%0d%0aSet-Cookie:%20evil=1%0d%0aX:%20y", "302 Found", "http://example.com/x%0d%0aSet-Cookie:%20evil=1%0d%0aX:%20y")]
    [InlineData("/ra/x%0d%0aSet-Cookie:%20evil=1", "302 Found", "http://example.com/x%0d%0aSet-Cookie:%20evil=1")]
    [InlineData("/ra/a%0db", "302 Found", "http://example.com/a%0db")]
    [InlineData("/ra/a;b%20c%22d%3c%3e%25%7f%01%7b%7d", "302 Found", "http://example.com/a;b%20c%22d%3c%3e%25%7f%01%7b%7d")]
    [InlineData("/rx/a;b%0d%0ac", "302 Found", "http://example.com/px/a;b%0d%0ac")]
    // A decoded '?' or '#' starts a query or fragment mod_alias does not escape: the CR LF then
    // reaches the head writer, which refuses it (AH02430) and answers 500.
    [InlineData("/ra/x%3f%0d%0aSet-Cookie:%20e=1", "500 Internal Server Error", null)]
    [InlineData("/ra/x%23%0d%0aZ:%20e=1", "500 Internal Server Error", null)]
    public void RedirectMatchLocationIsEscapedAsApachesAndNoFieldIsInjected(string target, string status, string? location)
    {
        string request = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        (string apacheStatus, List<string> apacheFields) = Head(_servers.ApacheTree.Port, request);
        (string plumaStatus, List<string> plumaFields) = Head(_servers.PlumaTree.Port, request);

        Assert.Equal("HTTP/1.1 " + status, apacheStatus);
        Assert.Equal(apacheStatus, plumaStatus);
        Assert.Equal(apacheFields, plumaFields);
        Assert.DoesNotContain(plumaFields, f => f.StartsWith("Set-Cookie", StringComparison.OrdinalIgnoreCase) || f.StartsWith("X:", StringComparison.Ordinal) || f.StartsWith("Z:", StringComparison.Ordinal));
        if (location is not null)
        {
            Assert.Contains("Location: " + location, plumaFields);
        }
        else
        {
            Assert.DoesNotContain(plumaFields, f => f.StartsWith("Location", StringComparison.Ordinal));
            IReadOnlyList<string> log = EscapingServers.WaitForLog(_servers.PlumaTree, "error.log", l => l.Any(x => x.Contains("AH02430", StringComparison.Ordinal)));
            Assert.Contains(log, l => l.Contains("[http:error]", StringComparison.Ordinal)
                && l.Contains("AH02430: Response header 'Location' value of 'http://example.com/x", StringComparison.Ordinal)
                && l.Contains("\\r\\n", StringComparison.Ordinal)
                && l.EndsWith("' contains invalid characters, aborting request", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("/priv/x%0a%5bSat%20Dec%2005%2000:00:00%202026%5d%20%5bcore:emerg%5d%20FAKE")]
    [InlineData("/priv/a%1bb%09c%22d%5ce%c3%a9f%7f%0d%0bg%08")]
    public void ErrorLogWritesOneEscapedLineAsApacheDoes(string target)
    {
        string marker = "m" + Guid.NewGuid().ToString("N")[..8];
        string path = target.Replace("/priv/", "/priv/" + marker, StringComparison.Ordinal);
        string apache = DeniedLine(_servers.ApacheTree, path, marker);
        string pluma = DeniedLine(_servers.PlumaTree, path, marker);
        Assert.Equal(apache, pluma);
        Assert.DoesNotContain("[core:emerg] FAKE\n", pluma, StringComparison.Ordinal);
        Assert.DoesNotContain(EscapingServers.WaitForLog(_servers.PlumaTree, "error.log", _ => true), l => l.StartsWith("[Sat Dec 05 00:00:00 2026]", StringComparison.Ordinal));
    }

    [Fact]
    public void AccessLogEscapesClientDataAsApacheDoes()
    {
        string marker = "m" + Guid.NewGuid().ToString("N")[..8];
        byte[] request = Encoding.Latin1.GetBytes(
            "GET /priv/" + marker + "a%1bb%09c%22d%5ce%c3%a9f%0ag?q=%0a%1b\"\\\u00e9 HTTP/1.1\r\nHost: localhost\r\n"
            + "Referer: r\"\\\u00e9\tz\r\nUser-Agent: u\u00c3\u00a9\r\nX-Foo: a\"b\\c\r\nConnection: close\r\n\r\n");
        string apache = AccessLine(_servers.ApacheTree, request, marker);
        string pluma = AccessLine(_servers.PlumaTree, request, marker);
        Assert.Equal(apache, pluma);

        // What apache2 2.4.71 wrote for it, byte for byte.
        Assert.Equal(
            "\"GET /priv/" + marker + "a%1bb%09c%22d%5ce%c3%a9f%0ag?q=%0a%1b\\\"\\\\\\xe9 HTTP/1.1\" 403 \"r\\\"\\\\\\xe9\\tz\" \"u\\xc3\\xa9\" "
            + "U=/priv/" + marker + "a\\x1bb\\tc\\\"d\\\\e\\xc3\\xa9f\\ng q=?q=%0a%1b\\\"\\\\\\xe9 X=a\\\"b\\\\c",
            pluma);
    }

    private static string DeniedLine(TempConfTree tree, string target, string marker)
    {
        using (var c = new RawHttp(tree.Port))
        {
            c.Send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            Assert.Equal(403, c.ReadResponse().Status);
        }

        IReadOnlyList<string> lines = EscapingServers.WaitForLog(tree, "error.log", l => l.Any(x => x.Contains(marker, StringComparison.Ordinal)));
        List<string> mine = lines.Where(l => l.Contains(marker, StringComparison.Ordinal)).ToList();
        Assert.Single(mine);

        // The message after the [client ...] prefix, with the tree's own folder taken out.
        string line = mine[0];
        return line[(line.IndexOf("AH01630", StringComparison.Ordinal))..].Replace(tree.Top, "TREE", StringComparison.Ordinal);
    }

    private static string AccessLine(TempConfTree tree, byte[] request, string marker)
    {
        using (var c = new RawHttp(tree.Port))
        {
            c.Send(request);
            Assert.Equal(403, c.ReadResponse().Status);
        }

        IReadOnlyList<string> lines = EscapingServers.WaitForLog(tree, "escapes.log", l => l.Any(x => x.Contains(marker, StringComparison.Ordinal)));
        return Assert.Single(lines, l => l.Contains(marker, StringComparison.Ordinal));
    }

    /// <summary>The status line and the fields of the head, Date, Server and Content-Length left out (they differ by design).</summary>
    private static (string Status, List<string> Fields) Head(int port, string request)
    {
        using var c = new RawHttp(port);
        c.Send(request);
        string all = c.ReadToEnd();
        int end = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, "no complete head from port " + port + ": " + all);
        string[] lines = all[..end].Split("\r\n");
        foreach (string l in lines)
        {
            // A bare CR or LF inside a field would be a split head.
            Assert.DoesNotMatch(StrayLineBreak(), l);
        }

        return (lines[0], lines.Skip(1).Where(l => !l.StartsWith("Date:", StringComparison.Ordinal) && !l.StartsWith("Server:", StringComparison.Ordinal) && !l.StartsWith("Content-Length:", StringComparison.Ordinal)).ToList());
    }

    [GeneratedRegex("[\r\n]")]
    private static partial Regex StrayLineBreak();
}
