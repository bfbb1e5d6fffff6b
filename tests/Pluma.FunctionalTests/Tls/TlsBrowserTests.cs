using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Xunit;

namespace Pluma.FunctionalTests.Tls;

/// <summary>
/// Headless Chromium over https against each MPM (issue 12): the browser reaches site.test by
/// name (SNI), trusts only the test certificate's key (<c>--ignore-certificate-errors-spki-list</c>),
/// runs the page's script, which reports the page's protocol and a same-origin fetch; a
/// screenshot of the page is kept under artifacts/screenshots.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TlsBrowserTests
{
    private const string Page = """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>Pluma over TLS</title></head><body><h1>Pluma over TLS</h1><p id="out">pending</p>
        <script>
        var x = new XMLHttpRequest();
        x.open('GET', '/data.txt', false);
        x.send();
        document.getElementById('out').textContent = location.protocol + ' ' + x.status + ' ' + x.responseText.trim() + ' ' + window.isSecureContext;
        </script></body></html>
        """;

    [Theory]
    [InlineData("event")]
    [InlineData("worker")]
    [InlineData("prefork")]
    public void ChromiumLoadsAPageOverHttps(string mpm)
    {
        using var tls = new TlsTree(mpm);
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        string root = tls.NamedSite("site.test", cert, key, Page);
        File.WriteAllText(Path.Combine(root, "data.txt"), "fetched over tls\n");
        using var server = tls.Start();

        string[] trust = ["--host-resolver-rules=MAP site.test 127.0.0.1", "--ignore-certificate-errors-spki-list=" + SpkiHash(cert)];
        string url = tls.Url("site.test", "/index.html");
        string dom = BrowserChromium.DumpDom(url, trust);
        Assert.True(dom.Contains("<p id=\"out\">https: 200 fetched over tls true</p>", StringComparison.Ordinal), "DOM:\n" + dom + tls.Tree.ErrorLog);

        string png = BrowserChromium.Screenshot(url, "tls-" + mpm, trust);
        byte[] head = new byte[8];
        using (FileStream f = File.OpenRead(png))
        {
            f.ReadExactly(head);
        }

        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a }, head);
    }

    /// <summary>base64 of SHA-256 over the certificate's SubjectPublicKeyInfo, Chromium's pin form.</summary>
    private static string SpkiHash(string certFile)
    {
        using X509Certificate2 c = X509CertificateLoader.LoadCertificateFromFile(certFile);
        return Convert.ToBase64String(SHA256.HashData(c.PublicKey.ExportSubjectPublicKeyInfo()));
    }
}
