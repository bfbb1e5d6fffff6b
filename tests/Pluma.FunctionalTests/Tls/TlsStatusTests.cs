using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Tls;

/// <summary>
/// server-status with mod_ssl (issue 12): a TLS request shows in the worker table with its
/// request line, and the page ends with mod_ssl's "SSL/TLS Session Cache
/// Status" (TLSSessionCacheStatus in ?auto) where SSLSessionCache names a cache, saying what
/// Pluma keeps: SHMCB, the store every child shares (Debian's ssl.conf: shmcb of 512000 bytes), else NONE.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TlsStatusTests
{
    [Fact]
    public void DebiansSslConfShowsTheSessionCacheSectionWithTheSharedStore()
    {
        using var tls = new TlsTree();
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        tls.NamedSite("site.test", cert, key, "x\n");
        using var server = tls.Start();

        ProcessResult html = tls.Curl("site.test", tls.Url("site.test", "/server-status"));
        Assert.True(html.ExitCode == 0, html.Combined + tls.Tree.ErrorLog);
        Assert.Contains("<td nowrap>GET /server-status HTTP/1.1</td>", html.StandardOutput);
        Assert.Contains("<hr>\n<table cellspacing=0 cellpadding=0>\n<tr><td bgcolor=\"#000000\">\n<b><font color=\"#ffffff\" face=\"Arial,Helvetica\">SSL/TLS Session Cache Status:</font></b>\r</td></tr>\n<tr><td bgcolor=\"#ffffff\">\ncache type: <b>SHMCB</b>, shared memory: 512000 bytes, up to 496 sessions shared by every child<br>", html.StandardOutput);
        Assert.EndsWith("</td></tr>\n</table>\n</body></html>\n", html.StandardOutput);

        ProcessResult auto = tls.Curl("site.test", tls.Url("site.test", "/server-status?auto"));
        Assert.True(auto.ExitCode == 0, auto.Combined);
        Assert.EndsWith("\nTLSSessionCacheStatus\nCacheType: SHMCB\nCacheSharedMemory: 512000\n", auto.StandardOutput);
    }

    [Fact]
    public void ResumingSessionsShowTheSharedStoreAndNoSessionCacheShowsNoSection()
    {
        using var tls = new TlsTree();
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        tls.WithoutCipherSuite();
        tls.NamedSite("site.test", cert, key, "x\n", "    SSLSessionTickets on\n    SSLSessionCacheTimeout 7200");
        using (PlumaServer server = tls.Start())
        {
            ProcessResult auto = tls.Curl("site.test", tls.Url("site.test", "/server-status?auto"));
            Assert.True(auto.ExitCode == 0, auto.Combined + tls.Tree.ErrorLog);
            Assert.EndsWith("\nTLSSessionCacheStatus\nCacheType: SHMCB\nCacheSharedMemory: 512000\n", auto.StandardOutput);
        }

        // Without SSLSessionCache mod_ssl adds nothing (its hook returns at once).
        string sslConf = System.IO.Path.Combine(tls.Tree.ConfDir, "mods-available", "ssl.conf");
        string text = System.IO.File.ReadAllText(sslConf);
        Assert.Contains("\nSSLSessionCache     shmcb:", text);
        System.IO.File.WriteAllText(sslConf, text.Replace("\nSSLSessionCache     shmcb:", "\n#SSLSessionCache     shmcb:", StringComparison.Ordinal));
        using PlumaServer again = tls.Start();
        ProcessResult plain = tls.Curl("site.test", tls.Url("site.test", "/server-status?auto"));
        Assert.True(plain.ExitCode == 0, plain.Combined + tls.Tree.ErrorLog);
        Assert.DoesNotContain("TLSSessionCacheStatus", plain.StandardOutput);
        Assert.EndsWith("\n", plain.StandardOutput);
    }
}
