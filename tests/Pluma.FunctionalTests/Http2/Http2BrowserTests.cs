using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pluma.FunctionalTests.Tls;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Http2;

/// <summary>
/// Issue 15, done-criterion: headless Chromium over https with mod_http2 (<c>a2enmod http2</c>,
/// Debian's <c>Protocols h2 h2c http/1.1</c>): the page and a resource it fetches arrive over h2,
/// as the browser's own Resource Timing reports it (<c>nextHopProtocol</c>, the value DevTools'
/// Network panel shows as Protocol).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class Http2BrowserTests
{
    private const string Page = """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>Pluma over h2</title></head><body><h1>Pluma over h2</h1><p id="out">pending</p>
        <script>
        var x = new XMLHttpRequest();
        x.open('GET', '/data.txt', false);
        x.send();
        var page = performance.getEntriesByType('navigation')[0].nextHopProtocol;
        var fetched = performance.getEntriesByName(location.origin + '/data.txt');
        document.getElementById('out').textContent = page + ' ' + (fetched.length ? fetched[0].nextHopProtocol : 'none') + ' ' + x.status + ' ' + x.responseText.trim();
        </script></body></html>
        """;

    [Theory]
    [InlineData("event")]
    [InlineData("worker")]
    public void ChromiumGetsThePageOverH2(string mpm)
    {
        using var tls = new TlsTree(mpm);
        ProcessResult enabled = ProcessRunner.Run(Path.Combine(RepositoryPaths.Root, "bin", "a2enmod"), ["-q", "http2"], tls.Tree.AdminEnvironment);
        Assert.True(enabled.ExitCode == 0, enabled.Combined);
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        string root = tls.NamedSite("site.test", cert, key, Page);
        File.WriteAllText(Path.Combine(root, "data.txt"), "fetched over h2\n");
        using var server = tls.Start();

        string[] trust = ["--host-resolver-rules=MAP site.test 127.0.0.1", "--ignore-certificate-errors-spki-list=" + SpkiHash(cert)];
        string dom = BrowserChromium.DumpDom(tls.Url("site.test", "/index.html"), trust);
        Assert.True(dom.Contains("<p id=\"out\">h2 h2 200 fetched over h2</p>", StringComparison.Ordinal), "DOM:\n" + dom + tls.Tree.ErrorLog);
        Assert.Contains("\"GET /index.html HTTP/2.0\" 200 ", AccessLog(tls.Tree));
    }

    private static string AccessLog(TempConfTree tree)
    {
        string text = "";
        for (int i = 0; i < 50; i++)
        {
            text = "";
            foreach (string file in Directory.GetFiles(tree.LogDir, "*access*.log"))
            {
                text += File.ReadAllText(file);
            }

            if (text.Contains("HTTP/2.0", StringComparison.Ordinal))
            {
                break;
            }

            System.Threading.Thread.Sleep(100);
        }

        return text;
    }

    /// <summary>base64 of SHA-256 over the certificate's SubjectPublicKeyInfo, Chromium's pin form.</summary>
    private static string SpkiHash(string certFile)
    {
        using X509Certificate2 c = X509CertificateLoader.LoadCertificateFromFile(certFile);
        return Convert.ToBase64String(SHA256.HashData(c.PublicKey.ExportSubjectPublicKeyInfo()));
    }
}
