using System.IO;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Tls;

/// <summary>
/// Client certificates (SSLVerifyClient, SSLCACertificateFile) and session resumption
/// (openssl s_client -sess_out / -sess_in), issue 12.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TlsClientCertificateTests
{
    [Fact]
    public void SslVerifyClientRequireAcceptsACertificateOfTheCaAndRefusesNone()
    {
        using var tls = new TlsTree();
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        (string clientCert, string clientKey) = tls.Certificate("client", ["alice"], client: true);
        string cgiBin = Path.Combine(tls.Tree.Top, "cgi-bin");
        Directory.CreateDirectory(cgiBin);
        string script = Path.Combine(cgiBin, "env.cgi");
        File.WriteAllText(script, "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nenv | sort\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        tls.Tree.AppendToMainConfig("LoadModule cgid_module /usr/lib/apache2/modules/mod_cgid.so\nScriptSock " + Path.Combine(tls.Tree.Top, "cgisock"));
        tls.NamedSite("site.test", cert, key, "verified\n", $"""
                SSLCACertificateFile {tls.CaFile}
                SSLVerifyClient require
                SSLVerifyDepth 2
                ScriptAlias /cgi-bin/ {cgiBin}/
                <Directory {cgiBin}>
                    Require all granted
                    SSLOptions +StdEnvVars
                </Directory>
            """);
        using var server = tls.Start();

        ProcessResult ok = tls.Curl("site.test", "--cert", clientCert, "--key", clientKey, tls.Url("site.test", "/index.html"));
        Assert.True(ok.ExitCode == 0, ok.Combined + tls.Tree.ErrorLog);
        Assert.Equal("verified\n", ok.StandardOutput);

        ProcessResult env = tls.Curl("site.test", "--cert", clientCert, "--key", clientKey, tls.Url("site.test", "/cgi-bin/env.cgi"));
        Assert.Contains("\nSSL_CLIENT_VERIFY=SUCCESS\n", env.StandardOutput);
        Assert.Contains("\nSSL_CLIENT_S_DN_CN=alice\n", env.StandardOutput);

        // No certificate: the handshake (TLS 1.2) or the first read (TLS 1.3) fails; nothing is served.
        ProcessResult none = tls.Curl("site.test", "--tlsv1.2", "--tls-max", "1.2", tls.Url("site.test", "/index.html"));
        Assert.NotEqual(0, none.ExitCode);
        Assert.DoesNotContain("verified", none.StandardOutput);

        // A certificate of another CA is refused too.
        using var other = new TlsTree();
        (string strangerCert, string strangerKey) = other.Certificate("stranger", ["mallory"], client: true);
        ProcessResult stranger = tls.Curl("site.test", "--tlsv1.2", "--tls-max", "1.2", "--cert", strangerCert, "--key", strangerKey, tls.Url("site.test", "/index.html"));
        Assert.NotEqual(0, stranger.ExitCode);
        Assert.DoesNotContain("verified", stranger.StandardOutput);
    }

    /// <summary>
    /// With SSLSessionTickets on and no SSLCipherSuite (the line is taken out of Debian's
    /// ssl.conf) a session resumes (Debian's own ssl.conf: TlsSessionTests); sessions live in
    /// each child, so the server runs one event child here (see README: a client whose next
    /// connection reaches another child shakes hands in full).
    /// </summary>
    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public void ASessionIsResumed(string version)
    {
        using var tls = new TlsTree();
        tls.Tree.WriteConf("mods-available/mpm_event.conf", OneChild);
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        tls.WithoutCipherSuite();
        tls.NamedSite("site.test", cert, key, "hello\n", "    SSLSessionTickets on\n    SSLSessionCacheTimeout 7200");
        using var server = tls.Start();
        string session = Path.Combine(tls.Tree.Top, "session.pem");
        ProcessResult first = tls.SClient([version, "-servername", "site.test", "-sess_out", session], "GET / HTTP/1.0\r\nHost: site.test\r\n\r\n");
        Assert.True(first.ExitCode == 0, first.Combined);
        Assert.Contains("\nNew, ", first.StandardOutput);
        Assert.True(File.Exists(session), first.Combined);
        ProcessResult second = tls.SClient([version, "-servername", "site.test", "-sess_in", session], "GET / HTTP/1.0\r\nHost: site.test\r\n\r\n");
        Assert.True(second.ExitCode == 0, second.Combined);
        Assert.Contains("\nReused, ", second.StandardOutput);
        Assert.Contains("hello\n", second.StandardOutput);
    }

    private const string OneChild = """
        StartServers            1
        ServerLimit             1
        ThreadLimit             8
        ThreadsPerChild         8
        MinSpareThreads         1
        MaxSpareThreads         8
        MaxRequestWorkers       8
        MaxConnectionsPerChild  0
        """;
}
