using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Pluma.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Pluma.FunctionalTests;

/// <summary>
/// server-status?view=live in headless Chromium, on each MPM: the page, polling ?json, draws
/// the children the server starts under bounded load (ab, a CGI that holds its worker a
/// quarter of a second) and draws them going away as idle maintenance retires them after;
/// read through the DOM over the DevTools protocol. Screenshots at the peak and after are
/// kept under artifacts/browser/. Nothing asserts a duration (the machine may be loaded).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LiveViewBrowserTests
{
    private const int Concurrency = 20;
    private const int Requests = 400;
    private const int LoadTimeoutMs = 120_000;
    private const int RetireTimeoutMs = 120_000;

    private readonly ITestOutputHelper _output;

    public LiveViewBrowserTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Mpms => new() { "event", "worker", "prefork" };

    /// <summary>Where the screenshots go (the repository's ignored artifacts/ folder).</summary>
    public static string ArtefactDir => Path.Combine(RepositoryPaths.Root, "artifacts", "browser");

    [Theory]
    [MemberData(nameof(Mpms))]
    public async Task LivePageDrawsChildrenAppearingUnderLoadAndRetiringAfter(string mpm)
    {
        using var tree = LoadTree(mpm);
        using var server = PlumaServer.Start(tree);
        string status = $"http://127.0.0.1:{tree.Port}/server-status";
        using var browser = new BrowserDevTools(status + "?view=live");
        Assert.True(browser.WaitFor("document.body !== null && Number(document.body.dataset.polls || 0) >= 3", 60_000), "the page drew no ?json: " + Dom(browser));
        int before = LiveChildren(browser);
        Assert.True(before >= 1, "no child drawn before the load: " + Dom(browser));
        // The limits are drawn where they bind.
        Assert.Contains(Limits(mpm).Binds, browser.Evaluate("document.getElementById('slots').textContent").GetString(), StringComparison.Ordinal);

        Task<ProcessResult> load = Task.Run(() => ProcessRunner.Run("ab",
            ["-q", "-s", "30", "-c", Concurrency.ToString(CultureInfo.InvariantCulture), "-n", Requests.ToString(CultureInfo.InvariantCulture),
                $"http://127.0.0.1:{tree.Port}/cgi-bin/slow.cgi"], timeoutMs: LoadTimeoutMs));
        int peak = before, busiest = 0;
        while (!load.IsCompleted)
        {
            peak = Math.Max(peak, LiveChildren(browser));
            busiest = Math.Max(busiest, browser.Evaluate("document.querySelectorAll('#slots .cell.s-write, #slots .cell.s-read, #slots .cell.s-closing, #slots .cell.s-logging').length").GetInt32());
            if (peak == LiveChildren(browser) && peak > before)
            {
                browser.Screenshot(Path.Combine(ArtefactDir, $"live-view-{mpm}-peak.png"));
            }

            await Task.Delay(400);
        }

        ProcessResult ab = await load;
        Assert.True(ab.ExitCode == 0, "ab: " + ab.Combined);
        Assert.Contains("Failed requests:        0", ab.StandardOutput, StringComparison.Ordinal);
        int spawned = Counter(browser, "spawns");
        _output.WriteLine($"{mpm}: {before} children before, {peak} at the peak, {spawned} spawns drawn, {busiest} busy cells at most");
        Assert.True(peak > before, $"no child appeared under load ({before} before, {peak} at most): " + Dom(browser));
        Assert.True(spawned >= peak - before, $"{spawned} spawns drawn for {peak - before} new children");
        Assert.True(busiest > 0, "no busy worker drawn under load");

        // Idle maintenance retires the spare children (one a second): the page draws each
        // retirement, until at least half the children the load added are gone.
        int goal = (peak + before) / 2;
        bool retired = browser.WaitFor(
            $"document.querySelectorAll('#slots .proc.live').length <= {goal} && Number(document.getElementById('retirements').textContent) >= {peak - goal}",
            RetireTimeoutMs);
        int after = LiveChildren(browser);
        browser.Screenshot(Path.Combine(ArtefactDir, $"live-view-{mpm}-after.png"));
        _output.WriteLine($"{mpm}: {after} children after, {Counter(browser, "retirements")} retirements drawn");
        Assert.True(retired, $"no child went away after the load ({peak} at the peak, {after} now): " + Dom(browser));
        string events = browser.Evaluate("document.getElementById('events').textContent").GetString()!;
        Assert.Contains("spawned pid ", events, StringComparison.Ordinal);
        Assert.Contains("retired pid ", events, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(ArtefactDir, $"live-view-{mpm}-after.png")));
    }

    private static int LiveChildren(BrowserDevTools browser) =>
        browser.Evaluate("document.querySelectorAll('#slots .proc.live').length").GetInt32();

    private static int Counter(BrowserDevTools browser, string id) =>
        int.Parse(browser.Evaluate($"document.getElementById('{id}').textContent").GetString()!, CultureInfo.InvariantCulture);

    private static string Dom(BrowserDevTools browser) =>
        browser.Evaluate("document.body.innerText").GetString() ?? string.Empty;

    /// <summary>Small spares so children come and go; the text the page draws where MaxRequestWorkers binds.</summary>
    private static (string Conf, string Binds) Limits(string mpm) => mpm == "prefork"
        ? ("StartServers 1\nMinSpareServers 1\nMaxSpareServers 2\nServerLimit 40\nMaxRequestWorkers 32\nMaxConnectionsPerChild 0\n",
            "MaxRequestWorkers 32 binds here: 32 processes of 1 threads")
        : ("StartServers 1\nServerLimit 12\nThreadLimit 4\nThreadsPerChild 4\nMinSpareThreads 4\nMaxSpareThreads 8\nMaxRequestWorkers 40\nMaxConnectionsPerChild 0\n",
            "MaxRequestWorkers 40 binds here: 10 processes of 4 threads");

    private static TempConfTree LoadTree(string mpm)
    {
        var tree = new TempConfTree();
        try
        {
            tree.SwitchMpm(mpm);
            tree.WriteConf(Path.Combine("mods-available", "mpm_" + mpm + ".conf"), Limits(mpm).Conf);
            string cgiBin = Path.Combine(tree.Top, "cgi-bin");
            Directory.CreateDirectory(cgiBin);
            string script = Path.Combine(cgiBin, "slow.cgi");
            File.WriteAllText(script, "#!/bin/sh\nsleep 0.25\nprintf 'Content-Type: text/plain\\n\\nslow\\n'\n");
            File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
            string module = mpm == "prefork"
                ? "LoadModule cgi_module /usr/lib/apache2/modules/mod_cgi.so"
                : "LoadModule cgid_module /usr/lib/apache2/modules/mod_cgid.so\nScriptSock " + Path.Combine(tree.Top, "cgisock");
            tree.AppendToMainConfig(module + "\nScriptAlias /cgi-bin/ " + cgiBin + "/\n<Directory \"" + cgiBin + "\">\nOptions +ExecCGI\nRequire all granted\n</Directory>\n");
            return tree;
        }
        catch
        {
            tree.Dispose();
            throw;
        }
    }
}
