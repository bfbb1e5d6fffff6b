using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Tls;

/// <summary>
/// mod_ssl end to end against each MPM (issue 12's "Done when"): curl (<c>--cacert</c>,
/// <c>--resolve</c> for SNI), <c>openssl s_client</c> (protocols, ciphers, SNI, session
/// resumption, client certificates) and headless Chromium, all against one server per MPM
/// (<see cref="TlsMpmServer"/>); the three MPMs' classes run side by side.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public abstract class TlsEndToEndTests<TServer> : IClassFixture<TServer>
    where TServer : TlsMpmServer
{
    private readonly TServer _server;

    protected TlsEndToEndTests(TServer server) => _server = server;

    private TlsTree Tls => _server.Tls;

    [Fact]
    public void ServesHttpsWithKeepAliveHeadAndALargeFile()
    {
        // Two requests on one connection: curl reuses it (num_connects 0 for the second).
        ProcessResult r = Tls.Curl("a.test", "-w", "|%{http_code}|%{num_connects}|%{scheme}\n", Tls.Url("a.test", "/index.html"), Tls.Url("a.test", "/index.html"));
        Assert.True(r.ExitCode == 0, r.Combined + Tls.Tree.ErrorLog);
        Assert.Equal("site a\n|200|1|HTTPS\nsite a\n|200|0|HTTPS\n", r.StandardOutput);

        ProcessResult head = Tls.Curl("a.test", "-I", Tls.Url("a.test", "/index.html"));
        Assert.True(head.ExitCode == 0, head.Combined);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head.StandardOutput);
        Assert.Contains("\r\nContent-Length: 7\r\n", head.StandardOutput);

        string got = Path.Combine(Tls.Tree.Top, "got-" + Guid.NewGuid().ToString("N") + ".bin");
        ProcessResult file = Tls.Curl("a.test", "-o", got, "-w", "%{http_code}", Tls.Url("a.test", "/big.bin"));
        Assert.True(file.ExitCode == 0, file.Combined);
        Assert.Equal("200", file.StandardOutput);
        Assert.Equal(TlsMpmServer.Big, File.ReadAllBytes(got));
        File.Delete(got);
    }

    [Theory]
    [InlineData("-tls1_2", "TLSv1.2")]
    [InlineData("-tls1_3", "TLSv1.3")]
    public void NegotiatesTls12AndTls13(string flag, string name)
    {
        ProcessResult r = Tls.SClient([flag, "-servername", "a.test", "-verify_return_error"], "GET /index.html HTTP/1.0\r\nHost: a.test\r\n\r\n");
        Assert.True(r.ExitCode == 0, r.Combined + Tls.Tree.ErrorLog);
        Assert.Contains("\nNew, " + name + ", Cipher is ", r.StandardOutput);
        Assert.Contains("Verify return code: 0 (ok)", r.StandardOutput);
        Assert.Contains("HTTP/1.1 200 OK\r\n", r.StandardOutput);
        Assert.Contains("\r\n\r\nsite a\n", r.StandardOutput);
    }

    [Fact]
    public void PlainHttpToTheTlsPortGetsApachesPage()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 20_000 };
        s.Connect(new IPEndPoint(IPAddress.Loopback, Tls.TlsPort));
        s.Send(Encoding.ASCII.GetBytes("GET /index.html HTTP/1.1\r\nHost: a.test\r\n\r\n"));
        string answer = TlsServingTests.ReadToClose(s);
        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", answer);
        Assert.Contains("\r\nConnection: close\r\n", answer);
        Assert.Contains("""
            <title>400 Bad Request</title>
            </head><body>
            <h1>Bad Request</h1>
            <p>Your browser sent a request that this server could not understand.<br />
            Reason: You're speaking plain HTTP to an SSL-enabled server port.<br />
             Instead use the HTTPS scheme to access this URL, please.<br />
            </p>
            <hr>
            """, answer);
    }

    [Fact]
    public void SniChoosesTheNameBasedVirtualHostAndItsCertificate()
    {
        // curl checks the certificate against the name: each name gets its own.
        foreach (string name in new[] { "a", "b", "v13", "tickets" })
        {
            ProcessResult r = Tls.Curl(name + ".test", Tls.Url(name + ".test", "/index.html"));
            Assert.True(r.ExitCode == 0, r.Combined + Tls.Tree.ErrorLog);
            Assert.Equal("site " + name + "\n", r.StandardOutput);
        }

        // No SNI: the address's first server (a.test) shakes hands and serves.
        ProcessResult none = Tls.SClient(["-noservername"], "GET /index.html HTTP/1.0\r\n\r\n");
        Assert.Contains("subject=CN = a.test", none.StandardOutput);
        Assert.Contains("site a\n", none.StandardOutput);
    }

    [Fact]
    public void AHostThatDisagreesWithSniIsMisdirected()
    {
        ProcessResult r = Tls.Curl("a.test", "-H", "Host: b.test", "-w", "%{http_code}", "-o", "/dev/null", Tls.Url("a.test", "/index.html"));
        Assert.True(r.ExitCode == 0, r.Combined);
        Assert.Equal("421", r.StandardOutput);
        Assert.Contains("AH02032: Hostname a.test provided via SNI and hostname b.test provided via HTTP have no compatible SSL setup", WaitForLog("AH02032"));
    }

    [Fact]
    public void SslProtocolLimitsTheVersionsOffered()
    {
        ProcessResult v13 = Tls.SClient(["-tls1_3", "-servername", "v13.test"], "GET /index.html HTTP/1.0\r\nHost: v13.test\r\n\r\n");
        Assert.Contains("\nNew, TLSv1.3, Cipher is ", v13.StandardOutput);
        Assert.Contains("site v13\n", v13.StandardOutput);
        ProcessResult v12 = Tls.SClient(["-tls1_2", "-servername", "v13.test"]);
        Assert.NotEqual(0, v12.ExitCode);
        Assert.Contains("\nNew, (NONE), Cipher is (NONE)", v12.StandardOutput);

        // The same client reaches a.test, which keeps Debian's SSLProtocol, over TLS 1.2.
        ProcessResult a12 = Tls.SClient(["-tls1_2", "-servername", "a.test"]);
        Assert.Contains("\nNew, TLSv1.2, Cipher is ", a12.StandardOutput);
    }

    [Fact]
    public void TheServersCipherOrderWins()
    {
        foreach (string clientOrder in new[] { "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256" })
        {
            ProcessResult r = Tls.SClient(["-tls1_2", "-servername", "b.test", "-cipher", clientOrder]);
            Assert.Contains("\nNew, TLSv1.2, Cipher is ECDHE-RSA-AES256-GCM-SHA384\n", r.StandardOutput);
        }

        // A cipher outside Debian's HIGH:!aNULL is not taken.
        ProcessResult weak = Tls.SClient(["-tls1_2", "-servername", "b.test", "-cipher", "NULL-SHA256:@SECLEVEL=0"]);
        Assert.NotEqual(0, weak.ExitCode);
    }

    [Fact]
    public void ACgiScriptSeesHttpsAndTheSslVariables()
    {
        ProcessResult r = Tls.Curl("a.test", "--tlsv1.3", Tls.Url("a.test", "/cgi-bin/env.cgi"));
        Assert.True(r.ExitCode == 0, r.Combined + Tls.Tree.ErrorLog);
        Assert.Contains("\nHTTPS=on\n", r.StandardOutput);
        Assert.Contains("\nREQUEST_SCHEME=https\n", r.StandardOutput);
        Assert.Contains("\nSSL_PROTOCOL=TLSv1.3\n", r.StandardOutput);
        Assert.Contains("\nSSL_TLS_SNI=a.test\n", r.StandardOutput);
        Assert.Contains("\nSSL_SERVER_S_DN_CN=a.test\n", r.StandardOutput);
        Assert.Matches("\nSSL_CIPHER=TLS_[A-Z0-9_]+\n", r.StandardOutput);

        // Without +StdEnvVars only HTTPS and the SNI name are set (ssl_hook_Fixup).
        ProcessResult plain = Tls.Curl("a.test", Tls.Url("a.test", "/plain/env.cgi"));
        Assert.True(plain.ExitCode == 0, plain.Combined);
        Assert.Contains("\nHTTPS=on\n", plain.StandardOutput);
        Assert.Contains("\nSSL_TLS_SNI=a.test\n", plain.StandardOutput);
        Assert.DoesNotContain("SSL_PROTOCOL=", plain.StandardOutput);
    }

    /// <summary>Debian's ssl.conf (SSLSessionTickets off, SSLSessionCacheTimeout 300): TLS 1.2 resumes by session id with no ticket; TLS 1.3 by a stateful ticket of SSLSessionCacheTimeout's lifetime.</summary>
    [Fact]
    public void DebiansSslConfResumesBySessionIdAndIssuesNoTicket()
    {
        string session = Path.Combine(Tls.Tree.Top, "debian-" + Guid.NewGuid().ToString("N") + ".pem");
        ProcessResult first = Tls.SClient(["-tls1_2", "-servername", "a.test", "-sess_out", session], "GET / HTTP/1.0\r\nHost: a.test\r\n\r\n");
        Assert.True(first.ExitCode == 0, first.Combined + Tls.Tree.ErrorLog);
        Assert.Contains("\nNew, ", first.StandardOutput);
        Assert.Matches(@"\n    Session-ID: [0-9A-F]{64}\n", first.StandardOutput);
        Assert.DoesNotContain("TLS session ticket", first.StandardOutput);
        ProcessResult second = Tls.SClient(["-tls1_2", "-servername", "a.test", "-sess_in", session], "GET / HTTP/1.0\r\nHost: a.test\r\n\r\n");
        Assert.True(second.ExitCode == 0, second.Combined);
        Assert.Contains("\nReused, ", second.StandardOutput);
        Assert.Contains("site a\n", second.StandardOutput);

        string session13 = Path.Combine(Tls.Tree.Top, "debian13-" + Guid.NewGuid().ToString("N") + ".pem");
        ProcessResult v13 = Tls.SClient(["-tls1_3", "-servername", "a.test", "-sess_out", session13], "GET / HTTP/1.0\r\nHost: a.test\r\n\r\n");
        Assert.True(v13.ExitCode == 0, v13.Combined);
        Assert.Contains("TLS session ticket lifetime hint: 300 (seconds)", v13.StandardOutput);
        ProcessResult v13again = Tls.SClient(["-tls1_3", "-servername", "a.test", "-sess_in", session13], "GET / HTTP/1.0\r\nHost: a.test\r\n\r\n");
        Assert.True(v13again.ExitCode == 0, v13again.Combined);
        Assert.Contains("\nReused, TLSv1.3, ", v13again.StandardOutput);
    }

    /// <summary>SSLSessionTickets on: the server issues a ticket and a session resumes from it, TLS 1.2 and 1.3.</summary>
    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public void ASessionResumesFromATicket(string version)
    {
        string session = Path.Combine(Tls.Tree.Top, "ticket-" + Guid.NewGuid().ToString("N") + ".pem");
        ProcessResult first = Tls.SClient([version, "-servername", "tickets.test", "-sess_out", session], "GET / HTTP/1.0\r\nHost: tickets.test\r\n\r\n");
        Assert.True(first.ExitCode == 0, first.Combined + Tls.Tree.ErrorLog);
        Assert.Contains("\nNew, ", first.StandardOutput);
        Assert.Contains("TLS session ticket:", first.StandardOutput);
        ProcessResult second = Tls.SClient([version, "-servername", "tickets.test", "-sess_in", session], "GET / HTTP/1.0\r\nHost: tickets.test\r\n\r\n");
        Assert.True(second.ExitCode == 0, second.Combined);
        Assert.Contains("\nReused, ", second.StandardOutput);
        Assert.Contains("site tickets\n", second.StandardOutput);
    }

    [Fact]
    public void SslVerifyClientRequireAcceptsACertificateOfTheCaAndRefusesNone()
    {
        ClientCertificateSetup c = _server.Client;
        ProcessResult ok = Tls.Curl("client.test", "--cert", c.ClientCert, "--key", c.ClientKey, Tls.Url("client.test", "/index.html"));
        Assert.True(ok.ExitCode == 0, ok.Combined + Tls.Tree.ErrorLog);
        Assert.Equal("verified\n", ok.StandardOutput);

        ProcessResult env = Tls.Curl("client.test", "--cert", c.ClientCert, "--key", c.ClientKey, Tls.Url("client.test", "/cgi-bin/client.cgi"));
        Assert.True(env.ExitCode == 0, env.Combined + Tls.Tree.ErrorLog);
        Assert.Contains("\nSSL_CLIENT_VERIFY=SUCCESS\n", env.StandardOutput);
        Assert.Contains("\nSSL_CLIENT_S_DN_CN=alice\n", env.StandardOutput);
        Assert.Contains("\nSSL_CLIENT_I_DN_CN=Pluma Test CA\n", env.StandardOutput);

        // s_client too, over TLS 1.2 and 1.3, with the certificate: the server asked for one of the test CA.
        foreach (string version in new[] { "-tls1_2", "-tls1_3" })
        {
            ProcessResult s = Tls.SClient([version, "-servername", "client.test", "-cert", c.ClientCert, "-key", c.ClientKey], "GET /index.html HTTP/1.0\r\nHost: client.test\r\n\r\n");
            Assert.True(s.ExitCode == 0, s.Combined + Tls.Tree.ErrorLog);
            Assert.Contains("Acceptable client certificate CA names\nCN = Pluma Test CA\n", s.StandardOutput);
            Assert.Contains("verified\n", s.StandardOutput);
        }

        // No certificate: the handshake (TLS 1.2) or the first read (TLS 1.3) fails; nothing is served.
        foreach (string version in new[] { "1.2", "1.3" })
        {
            ProcessResult none = Tls.Curl("client.test", "--tlsv" + version, "--tls-max", version, Tls.Url("client.test", "/index.html"));
            Assert.NotEqual(0, none.ExitCode);
            Assert.DoesNotContain("verified", none.StandardOutput);
        }

        // A certificate the test CA did not sign is refused too.
        ProcessResult stranger = Tls.Curl("client.test", "--tlsv1.2", "--tls-max", "1.2", "--cert", c.StrangerCert, "--key", c.StrangerKey, Tls.Url("client.test", "/index.html"));
        Assert.NotEqual(0, stranger.ExitCode);
        Assert.DoesNotContain("verified", stranger.StandardOutput);
    }

    /// <summary>
    /// Headless Chromium: the browser reaches a.test by name (SNI), trusts only the test
    /// certificate's key (<c>--ignore-certificate-errors-spki-list</c>), runs the page's script,
    /// which reports the page's protocol and a same-origin fetch; a screenshot of the page is kept
    /// under artifacts/screenshots.
    /// </summary>
    [Fact]
    public void ChromiumLoadsAPageOverHttps()
    {
        string[] trust = ["--host-resolver-rules=MAP a.test 127.0.0.1", "--ignore-certificate-errors-spki-list=" + SpkiHash(_server.CertA)];
        string url = Tls.Url("a.test", "/page.html");
        string dom = BrowserChromium.DumpDom(url, trust);
        Assert.True(dom.Contains("<p id=\"out\">https: 200 fetched over tls true</p>", StringComparison.Ordinal), "DOM:\n" + dom + Tls.Tree.ErrorLog);

        string png = BrowserChromium.Screenshot(url, "tls-" + Tls.Mpm, trust);
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

    private string WaitForLog(string text)
    {
        for (int i = 0; i < 100 && !Tls.Tree.ErrorLog.Contains(text, StringComparison.Ordinal); i++)
        {
            System.Threading.Thread.Sleep(100);
        }

        return Tls.Tree.ErrorLog;
    }
}

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TlsEndToEndEventTests(EventTlsServer server) : TlsEndToEndTests<EventTlsServer>(server);

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TlsEndToEndWorkerTests(WorkerTlsServer server) : TlsEndToEndTests<WorkerTlsServer>(server);

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TlsEndToEndPreforkTests(PreforkTlsServer server) : TlsEndToEndTests<PreforkTlsServer>(server);
