using System.IO;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pluma.Modules.Status;
using Pluma.Modules.Status.Live;
using Pluma.Modules.Tests.Support;

namespace Pluma.Modules.Tests.Status;

/// <summary>
/// ?json and ?view=live through the request pipeline: the same handler and access rules as
/// server-status, the live page's files from the binary with a policy that forbids anything
/// inline or from elsewhere.
/// </summary>
public sealed partial class StatusLiveViewTests
{
    private const string Conf = "<Location /server-status>\nSetHandler server-status\nRequire local\n</Location>\nExtendedStatus On\n";

    private static string Body(string response) => response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];

    [Theory]
    [InlineData("json", StatusView.Json, null)]
    [InlineData("view=json", StatusView.Json, null)]
    [InlineData("view=live", StatusView.Live, null)]
    [InlineData("view=live&asset=live.js", StatusView.Live, "live.js")]
    [InlineData("auto", StatusView.Page, null)]
    [InlineData("refresh=5&notable", StatusView.Page, null)]
    [InlineData(null, StatusView.Page, null)]
    public void QueryChoosesTheView(string? query, StatusView view, string? asset)
    {
        Assert.Equal((view, asset), StatusViewQuery.Parse(query));
    }

    [Fact]
    public void JsonAndLiveViewAnswerFromTheScoreboardUnderServerStatusAccessRules()
    {
        using var site = new Site();
        using var board = Pluma.Scoreboard.Scoreboard.Create(Path.Combine(site.ServerRoot, "scoreboard"), 2, 4, "event");
        board.Process(0).Pid = Environment.ProcessId;
        board.Worker(0, 1).Status = Pluma.Scoreboard.ScoreState.Ready;
        board.Worker(0, 0).Status = Pluma.Scoreboard.ScoreState.BusyWrite;
        site.Configure(Conf).WithScoreboard(board.Snapshot);

        string json = site.Get("/server-status?json");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", json, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/json\r\n", json, StringComparison.Ordinal);
        JsonElement root = JsonDocument.Parse(Body(json)).RootElement;
        Assert.Equal("W_......", root.GetProperty("scoreboard").GetString());
        Assert.Equal(Environment.ProcessId, root.GetProperty("processSlots")[0].GetProperty("pid").GetInt32());

        string page = site.Get("/server-status?view=live");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", page, StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/html; charset=utf-8\r\n", page, StringComparison.Ordinal);
        Assert.Contains("Content-Security-Policy: " + LiveView.ContentSecurityPolicy + "\r\n", page, StringComparison.Ordinal);
        Assert.Contains("<script src=\"?view=live&amp;asset=live.js\" defer></script>", page, StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/javascript; charset=utf-8\r\n", site.Get("/server-status?view=live&asset=live.js"), StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/css; charset=utf-8\r\n", site.Get("/server-status?view=live&asset=live.css"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 404 Not Found\r\n", site.Get("/server-status?view=live&asset=../status.conf"), StringComparison.Ordinal);

        var remote = IPAddress.Parse("10.0.0.9");
        foreach (string q in (string[])["json", "view=live", "view=live&asset=live.js"])
        {
            Assert.StartsWith("HTTP/1.1 403 Forbidden\r\n", site.Get("/server-status?" + q, client: remote), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void LivePageHasNothingInlineAndLoadsNothingFromElsewhere()
    {
        string html = Text(null);
        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(InlineAttribute(), html);
        foreach (string? asset in (string?[])[null, "live.js", "live.css"])
        {
            string text = Text(asset);
            Assert.DoesNotMatch(ExternalUrl(), text);
            Assert.DoesNotContain("eval(", text, StringComparison.Ordinal);
        }

        // The script reads ?json relative to the page's own path, so any <Location> works.
        Assert.Contains("location.pathname + '?json'", Text("live.js"), StringComparison.Ordinal);
    }

    private static string Text(string? asset) =>
        Encoding.UTF8.GetString(LiveView.Find(asset)?.Body ?? throw new InvalidOperationException("missing " + asset));

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex("\\s(on[a-z]+|style)=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineAttribute();

    [GeneratedRegex("(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrl();
}
