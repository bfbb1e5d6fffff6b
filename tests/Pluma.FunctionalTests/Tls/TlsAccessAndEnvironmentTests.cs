using System.IO;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Tls;

/// <summary>
/// SSLRequireSSL (Apache's 403 and AH02219 over plain HTTP), SSLOptions +ExportCertData (the
/// server's and the client's certificates in PEM in a CGI's environment) and SSLOpenSSLConfCmd
/// (the commands that map onto SslStream honoured, the others refused at -t with file and line),
/// issue 12.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TlsAccessAndEnvironmentTests
{
    [Theory]
    [InlineData("event")]
    [InlineData("prefork")]
    public void SslRequireSslRefusesPlainHttpWithApaches403(string mpm)
    {
        using var tls = new TlsTree(mpm);
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        string root = tls.NamedSite("site.test", cert, key, "open\n");
        Directory.CreateDirectory(Path.Combine(root, "secure"));
        File.WriteAllText(Path.Combine(root, "secure", "index.html"), "secret\n");
        Directory.CreateDirectory(Path.Combine(tls.Tree.DocumentRoot, "secure"));
        File.WriteAllText(Path.Combine(tls.Tree.DocumentRoot, "secure", "index.html"), "secret\n");
        tls.Tree.AppendToMainConfig("<Location /secure>\n    SSLRequireSSL\n</Location>");
        using var server = tls.Start();

        ProcessResult overTls = tls.Curl("site.test", tls.Url("site.test", "/secure/index.html"));
        Assert.True(overTls.ExitCode == 0, overTls.Combined + tls.Tree.ErrorLog);
        Assert.Equal("secret\n", overTls.StandardOutput);

        ProcessResult plain = ProcessRunner.Run("curl", ["-sS", "-i", "--max-time", "10", "http://127.0.0.1:" + tls.Tree.Port + "/secure/index.html"]);
        Assert.True(plain.ExitCode == 0, plain.Combined);
        Assert.StartsWith("HTTP/1.1 403 Forbidden\r\n", plain.StandardOutput);
        Assert.Contains("<p>You don't have permission to access this resource.</p>", plain.StandardOutput);
        Assert.DoesNotContain("secret", plain.StandardOutput);
        string file = Path.Combine(tls.Tree.DocumentRoot, "secure", "index.html");
        Assert.Contains("] AH02219: access to " + file + " failed, reason: SSL connection required", WaitFor(tls, "AH02219"));
    }

    [Fact]
    public void ExportCertDataPutsBothCertificatesInPemInACgisEnvironment()
    {
        using var tls = new TlsTree();
        ClientCertificateSetup c = tls.ClientCertificateSite("site.test", "optional", "+ExportCertData", "pem.cgi",
            "printf '%s|%s|%s' \"$SSL_SERVER_CERT\" \"${SSL_CLIENT_CERT-unset}\" \"$HTTPS\"", "x\n");
        using var server = tls.Start();

        ProcessResult with = tls.Curl("site.test", "--cert", c.ClientCert, "--key", c.ClientKey, tls.Url("site.test", "/cgi-bin/pem.cgi"));
        Assert.True(with.ExitCode == 0, with.Combined + tls.Tree.ErrorLog);
        Assert.Equal(File.ReadAllText(c.SiteCert) + "|" + File.ReadAllText(c.ClientCert) + "|on", with.StandardOutput);

        // Without a client certificate SSL_CLIENT_CERT is set and empty, as mod_ssl sets it.
        ProcessResult without = tls.Curl("site.test", tls.Url("site.test", "/cgi-bin/pem.cgi"));
        Assert.True(without.ExitCode == 0, without.Combined);
        Assert.Equal(File.ReadAllText(c.SiteCert) + "||on", without.StandardOutput);
    }

    [Fact]
    public void OpenSslConfCmdProtocolAndCiphersAreHonoured()
    {
        using var tls = new TlsTree();
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        tls.NamedSite("site.test", cert, key, "hello\n", """
                SSLOpenSSLConfCmd Protocol "-ALL, TLSv1.2"
                SSLOpenSSLConfCmd CipherString ECDHE-RSA-AES128-GCM-SHA256
            """);
        using var server = tls.Start();
        ProcessResult v12 = tls.SClient(["-servername", "site.test"], "GET / HTTP/1.0\r\nHost: site.test\r\n\r\n");
        Assert.True(v12.ExitCode == 0, v12.Combined + tls.Tree.ErrorLog);
        Assert.Contains("\nNew, TLSv1.2, Cipher is ECDHE-RSA-AES128-GCM-SHA256\n", v12.StandardOutput);
        Assert.Contains("hello\n", v12.StandardOutput);
        ProcessResult v13 = tls.SClient(["-tls1_3", "-servername", "site.test"]);
        Assert.NotEqual(0, v13.ExitCode);
    }

    [Theory]
    [InlineData("Curves X25519", "PL00304: SSLOpenSSLConfCmd Curves X25519: Pluma's mod_ssl maps only Protocol, MinProtocol, MaxProtocol, CipherString, Ciphersuites onto SslStream (which has no setting for Curves), so it is refused rather than ignored")]
    [InlineData("Options -SessionTicket", "PL00304: SSLOpenSSLConfCmd Options -SessionTicket: Pluma's mod_ssl maps only Protocol, MinProtocol, MaxProtocol, CipherString, Ciphersuites onto SslStream (which has no setting for Options), so it is refused rather than ignored")]
    [InlineData("Protocol TLSv9", "PL00305: SSLOpenSSLConfCmd Protocol TLSv9: unknown protocol 'TLSv9' (OpenSSL's names: ALL, SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3)")]
    [InlineData("CipherString NOSUCHCIPHER", "PL00305: SSLOpenSSLConfCmd CipherString NOSUCHCIPHER: no cipher matches")]
    public void OpenSslConfCmdThatDoesNotMapIsRefusedAtTestWithFileAndLine(string line, string message)
    {
        using var tls = new TlsTree();
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        tls.NamedSite("site.test", cert, key, "x\n", "    SSLOpenSSLConfCmd " + line);
        ProcessResult check = tls.SyntaxCheck();
        Assert.Equal(1, check.ExitCode);
        string site = Path.Combine(tls.Tree.ConfDir, "sites-enabled", "100-site.test.conf");
        Assert.Contains("AH00526: Syntax error on line 7 of " + site + ":\n" + message + "\n", check.StandardError);
    }

    [Fact]
    public void OpenSslConfCmdThatLeavesNoServableProtocolIsRefused()
    {
        using var tls = new TlsTree();
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        tls.NamedSite("site.test", cert, key, "x\n", "    SSLOpenSSLConfCmd MaxProtocol TLSv1.1");
        ProcessResult check = tls.SyntaxCheck();
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("PL00305: SSLOpenSSLConfCmd MaxProtocol TLSv1.1: leaves neither TLSv1.2 nor TLSv1.3", check.StandardError);
    }

    private static string WaitFor(TlsTree tls, string text)
    {
        for (int i = 0; i < 50 && !tls.Tree.ErrorLog.Contains(text, StringComparison.Ordinal); i++)
        {
            System.Threading.Thread.Sleep(100);
        }

        return tls.Tree.ErrorLog;
    }
}
