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

    /// <summary>The serialised DOM of <paramref name="url"/> after its load event.</summary>
    public static string DumpDom(string url)
    {
        Assert.True(File.Exists(Binary), $"Chromium is not installed ({Binary} is missing): apt-get install -y chromium");
        using var profile = new TempDirectory("pluma-chromium-");
        ProcessResult r = ProcessRunner.Run(Binary,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--user-data-dir=" + profile.Path, "--dump-dom", url,
        ], timeoutMs: TimeoutMs);
        Assert.True(r.ExitCode == 0, $"chromium exited with {r.ExitCode} on {url}:\n{r.StandardError}");
        return r.StandardOutput;
    }
}
