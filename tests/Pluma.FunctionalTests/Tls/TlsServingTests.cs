using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Tls;

/// <summary>
/// mod_ssl end to end on each MPM (issue 12): a server with SSLEngine on answers curl and
/// openssl s_client over TLS 1.2 and 1.3 (GET, HEAD, keep-alive, a file larger than many TLS
/// records), and plain HTTP sent to its port gets Apache's 400 page.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TlsServingTests
{
    [Theory]
    [InlineData("event")]
    [InlineData("worker")]
    [InlineData("prefork")]
    public void ServesHttpsWithKeepAliveHeadAndALargeFile(string mpm)
    {
        using var tls = new TlsTree(mpm);
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        string root = tls.NamedSite("site.test", cert, key, "over tls\n");
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(12).NextBytes(big);
        File.WriteAllBytes(Path.Combine(root, "big.bin"), big);
        using var server = tls.Start();

        // Two requests on one connection: curl reuses it (num_connects 0 for the second).
        ProcessResult r = tls.Curl("site.test", "-w", "|%{http_code}|%{num_connects}|%{scheme}\n", tls.Url("site.test", "/index.html"), tls.Url("site.test", "/index.html"));
        Assert.True(r.ExitCode == 0, r.Combined + tls.Tree.ErrorLog);
        Assert.Equal("over tls\n|200|1|HTTPS\nover tls\n|200|0|HTTPS\n", r.StandardOutput);

        ProcessResult head = tls.Curl("site.test", "-I", tls.Url("site.test", "/index.html"));
        Assert.True(head.ExitCode == 0, head.Combined);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head.StandardOutput);
        Assert.Contains("\r\nContent-Length: 9\r\n", head.StandardOutput);

        string got = Path.Combine(tls.Tree.Top, "got.bin");
        ProcessResult file = tls.Curl("site.test", "-o", got, "-w", "%{http_code}", tls.Url("site.test", "/big.bin"));
        Assert.True(file.ExitCode == 0, file.Combined);
        Assert.Equal("200", file.StandardOutput);
        Assert.Equal(big, File.ReadAllBytes(got));
    }

    [Theory]
    [InlineData("event")]
    [InlineData("worker")]
    [InlineData("prefork")]
    public void NegotiatesTls12AndTls13(string mpm)
    {
        using var tls = new TlsTree(mpm);
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        tls.NamedSite("site.test", cert, key, "hello\n");
        using var server = tls.Start();
        foreach ((string flag, string name) in new[] { ("-tls1_2", "TLSv1.2"), ("-tls1_3", "TLSv1.3") })
        {
            ProcessResult r = tls.SClient([flag, "-servername", "site.test", "-verify_return_error"], "GET /index.html HTTP/1.0\r\nHost: site.test\r\n\r\n");
            Assert.True(r.ExitCode == 0, r.Combined);
            Assert.Contains("\nNew, " + name + ", Cipher is ", r.StandardOutput);
            Assert.Contains("Verify return code: 0 (ok)", r.StandardOutput);
            Assert.Contains("HTTP/1.1 200 OK\r\n", r.StandardOutput);
            Assert.Contains("\r\n\r\nhello\n", r.StandardOutput);
        }
    }

    [Theory]
    [InlineData("event")]
    [InlineData("worker")]
    [InlineData("prefork")]
    public void PlainHttpToTheTlsPortGetsApachesPage(string mpm)
    {
        using var tls = new TlsTree(mpm);
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        tls.NamedSite("site.test", cert, key, "hello\n");
        using var server = tls.Start();
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000 };
        s.Connect(new IPEndPoint(IPAddress.Loopback, tls.TlsPort));
        s.Send(Encoding.ASCII.GetBytes("GET /index.html HTTP/1.1\r\nHost: site.test\r\n\r\n"));
        string answer = ReadToClose(s);
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
    public void AnEcdsaCertificateServesToo()
    {
        using var tls = new TlsTree();
        (string cert, string key) = tls.Certificate("ec", ["ec.test"], keyType: "ec");
        tls.NamedSite("ec.test", cert, key, "ecdsa\n");
        using var server = tls.Start();
        ProcessResult r = tls.SClient(["-servername", "ec.test", "-verify_return_error"], "GET / HTTP/1.0\r\nHost: ec.test\r\n\r\n");
        Assert.True(r.ExitCode == 0, r.Combined);
        Assert.Contains("Peer signature type: ECDSA", r.StandardOutput);
        Assert.Contains("ecdsa\n", r.StandardOutput);
    }

    /// <summary>
    /// The event MPM parks idle TLS keep-alive connections as it parks plain ones: eight of them
    /// after a request each, on one child of four workers, leave the workers free for a new client
    /// (twelve connections is that child's limit, ThreadsPerChild + AsyncRequestWorkerFactor x idle
    /// workers, as in Apache).
    /// </summary>
    [Fact]
    public void IdleTlsKeepAliveConnectionsHoldNoEventWorker()
    {
        using var tls = TlsTree.SmallEventChild();
        tls.Tree.AppendToMainConfig("KeepAliveTimeout 30");
        using var server = tls.Start();
        var idle = new System.Collections.Generic.List<System.Net.Security.SslStream>();
        var trust = new System.Security.Cryptography.X509Certificates.X509ChainPolicy { TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust };
        trust.CustomTrustStore.Add(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(tls.CaFile));
        trust.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
        try
        {
            for (int i = 0; i < 8; i++)
            {
                var tcp = new TcpClient();
                tcp.Connect(IPAddress.Loopback, tls.TlsPort);
                var ssl = new System.Net.Security.SslStream(tcp.GetStream(), false);
                ssl.AuthenticateAsClient(new System.Net.Security.SslClientAuthenticationOptions { TargetHost = "site.test", CertificateChainPolicy = trust });
                ssl.Write(Encoding.ASCII.GetBytes("GET /index.html HTTP/1.1\r\nHost: site.test\r\n\r\n"));
                ssl.ReadTimeout = 10_000;
                byte[] buf = new byte[4096];
                int n = ssl.Read(buf);
                Assert.StartsWith("HTTP/1.1 200 OK\r\n", Encoding.ASCII.GetString(buf, 0, n));
                idle.Add(ssl);
            }

            ProcessResult r = tls.Curl("site.test", "--max-time", "5", tls.Url("site.test", "/index.html"));
            Assert.True(r.ExitCode == 0, r.Combined + tls.Tree.ErrorLog);
            Assert.Equal("ok\n", r.StandardOutput);

            // And a parked connection still answers its next request.
            idle[0].Write(Encoding.ASCII.GetBytes("GET /index.html HTTP/1.1\r\nHost: site.test\r\n\r\n"));
            byte[] again = new byte[4096];
            Assert.StartsWith("HTTP/1.1 200 OK\r\n", Encoding.ASCII.GetString(again, 0, idle[0].Read(again)));
        }
        finally
        {
            foreach (System.Net.Security.SslStream s in idle)
            {
                s.Dispose();
            }
        }
    }

    internal static string ReadToClose(Socket s)
    {
        var sb = new StringBuilder();
        byte[] buf = new byte[8192];
        int n;
        while ((n = s.Receive(buf)) > 0)
        {
            sb.Append(Encoding.Latin1.GetString(buf, 0, n));
        }

        return sb.ToString();
    }
}
