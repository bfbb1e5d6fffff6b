using System.IO;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Headless Chromium loading a page and printing its DOM once loaded (<c>--dump-dom</c>):
/// a real browser's HTTP stack against the server. Killed by pid after 60 s.
/// </summary>
internal static class BrowserChromium
{
    public const string Binary = "/usr/bin/chromium";

    private const int TimeoutMs = 60_000;

    /// <summary>The serialised DOM of <paramref name="url"/> after its load event; <paramref name="extra"/> are further switches (host rules, trusted keys).</summary>
    public static string DumpDom(string url, params string[] extra) => Run(["--dump-dom", .. extra], url).StandardOutput;

    /// <summary>
    /// A PNG of <paramref name="url"/> written to artifacts/screenshots/<paramref name="name"/>.png
    /// (kept after the run, as a test's artefact); returns its path.
    /// </summary>
    public static string Screenshot(string url, string name, params string[] extra)
    {
        string dir = Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots");
        Directory.CreateDirectory(dir);
        string png = Path.Combine(dir, name + ".png");
        File.Delete(png);
        Run(["--screenshot=" + png, "--window-size=1024,768", .. extra], url);
        Assert.True(File.Exists(png) && new FileInfo(png).Length > 0, "chromium wrote no screenshot " + png);
        return png;
    }

    private static ProcessResult Run(string[] args, string url)
    {
        Assert.True(File.Exists(Binary), $"Chromium is not installed ({Binary} is missing): apt-get install -y chromium");
        using var profile = new TempDirectory("pluma-chromium-");
        ProcessResult r = ProcessRunner.Run(Binary,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--user-data-dir=" + profile.Path, .. args, url,
        ], timeoutMs: TimeoutMs);
        Assert.True(r.ExitCode == 0, $"chromium exited with {r.ExitCode} on {url}:\n{r.StandardError}");
        return r;
    }
}
