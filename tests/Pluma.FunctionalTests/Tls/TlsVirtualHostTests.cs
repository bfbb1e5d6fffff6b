using System.IO;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Tls;

/// <summary>
/// mod_ssl's choices per server (issue 12): SNI picks the name-based &lt;VirtualHost *:port&gt;
/// and its certificate, a Host that names a server with another TLS setup is 421 (AH02032),
/// SSLProtocol limits the versions offered, and a CGI script sees HTTPS=on and, with SSLOptions
/// +StdEnvVars, the SSL_* variables.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TlsVirtualHostTests
{
    [Fact]
    public void SniChoosesTheNameBasedVirtualHostAndItsCertificate()
    {
        using var tls = new TlsTree();
        (string certA, string keyA) = tls.Certificate("a", ["a.test"]);
        (string certB, string keyB) = tls.Certificate("b", ["b.test"]);
        tls.NamedSite("a.test", certA, keyA, "site a\n");
        tls.NamedSite("b.test", certB, keyB, "site b\n");
        using var server = tls.Start();

        // curl checks the certificate against the name: each name gets its own.
        foreach (string name in new[] { "a", "b" })
        {
            ProcessResult r = tls.Curl(name + ".test", tls.Url(name + ".test", "/index.html"));
            Assert.True(r.ExitCode == 0, r.Combined + tls.Tree.ErrorLog);
            Assert.Equal("site " + name + "\n", r.StandardOutput);
        }

        // No SNI: the address's first server (a.test) shakes hands.
        ProcessResult none = tls.SClient(["-noservername"], "GET /index.html HTTP/1.0\r\n\r\n");
        Assert.Contains("subject=CN = a.test", none.StandardOutput);
        Assert.Contains("site a\n", none.StandardOutput);
    }

    [Fact]
    public void AHostThatDisagreesWithSniIsMisdirected()
    {
        using var tls = new TlsTree();
        (string certA, string keyA) = tls.Certificate("a", ["a.test"]);
        (string certB, string keyB) = tls.Certificate("b", ["b.test"]);
        tls.NamedSite("a.test", certA, keyA, "site a\n");
        tls.NamedSite("b.test", certB, keyB, "site b\n");
        using var server = tls.Start();
        ProcessResult r = tls.Curl("a.test", "-H", "Host: b.test", "-w", "%{http_code}", "-o", "/dev/null", tls.Url("a.test", "/index.html"));
        Assert.True(r.ExitCode == 0, r.Combined);
        Assert.Equal("421", r.StandardOutput);
        Assert.Contains("AH02032: Hostname a.test provided via SNI and hostname b.test provided via HTTP have no compatible SSL setup", tls.Tree.ErrorLog);
    }

    [Fact]
    public void SslProtocolLimitsTheVersionsOffered()
    {
        using var tls = new TlsTree();
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        tls.NamedSite("site.test", cert, key, "hello\n", "    SSLProtocol -all +TLSv1.3");
        using var server = tls.Start();
        ProcessResult v13 = tls.SClient(["-tls1_3", "-servername", "site.test"]);
        Assert.Contains("\nNew, TLSv1.3, Cipher is ", v13.StandardOutput);
        ProcessResult v12 = tls.SClient(["-tls1_2", "-servername", "site.test"]);
        Assert.NotEqual(0, v12.ExitCode);
        Assert.Contains("\nNew, (NONE), Cipher is (NONE)", v12.StandardOutput);
    }

    [Fact]
    public void TheServersCipherOrderWins()
    {
        using var tls = new TlsTree();
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        tls.NamedSite("site.test", cert, key, "hello\n", "    SSLHonorCipherOrder on");
        using var server = tls.Start();
        foreach (string clientOrder in new[] { "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256" })
        {
            ProcessResult r = tls.SClient(["-tls1_2", "-servername", "site.test", "-cipher", clientOrder]);
            Assert.Contains("\nNew, TLSv1.2, Cipher is ECDHE-RSA-AES256-GCM-SHA384\n", r.StandardOutput);
        }
    }

    [Theory]
    [InlineData("event")]
    [InlineData("prefork")]
    public void ACgiScriptSeesHttpsAndTheSslVariables(string mpm)
    {
        using var tls = new TlsTree(mpm);
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        string cgiBin = Path.Combine(tls.Tree.Top, "cgi-bin");
        Directory.CreateDirectory(cgiBin);
        string script = Path.Combine(cgiBin, "env.cgi");
        File.WriteAllText(script, "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nenv | sort\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        string module = mpm == "prefork" ? "LoadModule cgi_module /usr/lib/apache2/modules/mod_cgi.so"
            : "LoadModule cgid_module /usr/lib/apache2/modules/mod_cgid.so\nScriptSock " + Path.Combine(tls.Tree.Top, "cgisock");
        tls.Tree.AppendToMainConfig(module);
        tls.NamedSite("site.test", cert, key, "hello\n", $"""
                ScriptAlias /cgi-bin/ {cgiBin}/
                ScriptAlias /plain-cgi/ {cgiBin}/
                <Directory {cgiBin}>
                    Require all granted
                </Directory>
                <Location /cgi-bin/>
                    SSLOptions +StdEnvVars
                </Location>
            """);
        using var server = tls.Start();
        ProcessResult r = tls.Curl("site.test", "--tlsv1.3", tls.Url("site.test", "/cgi-bin/env.cgi"));
        Assert.True(r.ExitCode == 0, r.Combined + tls.Tree.ErrorLog);
        Assert.Contains("\nHTTPS=on\n", r.StandardOutput);
        Assert.Contains("\nREQUEST_SCHEME=https\n", r.StandardOutput);
        Assert.Contains("\nSSL_PROTOCOL=TLSv1.3\n", r.StandardOutput);
        Assert.Contains("\nSSL_TLS_SNI=site.test\n", r.StandardOutput);
        Assert.Contains("\nSSL_SERVER_S_DN_CN=site.test\n", r.StandardOutput);
        Assert.Matches("\nSSL_CIPHER=TLS_[A-Z0-9_]+\n", r.StandardOutput);

        // Without +StdEnvVars only HTTPS and the SNI name are set (ssl_hook_Fixup).
        ProcessResult plain = tls.Curl("site.test", tls.Url("site.test", "/plain-cgi/env.cgi"));
        Assert.Contains("\nHTTPS=on\n", plain.StandardOutput);
        Assert.Contains("\nSSL_TLS_SNI=site.test\n", plain.StandardOutput);
        Assert.DoesNotContain("SSL_PROTOCOL=", plain.StandardOutput);
    }

    /// <summary>mod_remoteip's PROXY protocol before TLS (a TLS-passthrough load balancer): the header's client is REMOTE_ADDR, and the request is HTTPS.</summary>
    [Fact]
    public void AProxyProtocolHeaderBeforeTheHandshakeNamesTheClient()
    {
        using var tls = new TlsTree();
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        string cgiBin = System.IO.Path.Combine(tls.Tree.Top, "cgi-bin");
        Directory.CreateDirectory(cgiBin);
        string script = System.IO.Path.Combine(cgiBin, "env.cgi");
        File.WriteAllText(script, "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nenv | sort\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        tls.Tree.AppendToMainConfig("LoadModule remoteip_module /usr/lib/apache2/modules/mod_remoteip.so\nLoadModule cgid_module /usr/lib/apache2/modules/mod_cgid.so\nScriptSock " + System.IO.Path.Combine(tls.Tree.Top, "cgisock"));
        tls.NamedSite("site.test", cert, key, "hello\n", $"""
                RemoteIPProxyProtocol On
                ScriptAlias /cgi-bin/ {cgiBin}/
                <Directory {cgiBin}>
                    Require all granted
                </Directory>
            """);
        using var server = tls.Start();
        using var tcp = new System.Net.Sockets.TcpClient();
        tcp.Connect(System.Net.IPAddress.Loopback, tls.TlsPort);
        tcp.GetStream().Write(System.Text.Encoding.ASCII.GetBytes("PROXY TCP4 203.0.113.7 127.0.0.1 41000 443\r\n"));
        var trust = new System.Security.Cryptography.X509Certificates.X509ChainPolicy { TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust };
        trust.CustomTrustStore.Add(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(tls.CaFile));
        trust.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
        using var ssl = new System.Net.Security.SslStream(tcp.GetStream(), false);
        ssl.AuthenticateAsClient(new System.Net.Security.SslClientAuthenticationOptions { TargetHost = "site.test", CertificateChainPolicy = trust });
        ssl.Write(System.Text.Encoding.ASCII.GetBytes("GET /cgi-bin/env.cgi HTTP/1.0\r\nHost: site.test\r\n\r\n"));
        ssl.ReadTimeout = 15_000;
        using var reader = new System.IO.StreamReader(ssl);
        string answer = reader.ReadToEnd();
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", answer);
        Assert.Contains("\nREMOTE_ADDR=203.0.113.7\n", answer);
        Assert.Contains("\nHTTPS=on\n", answer);
    }
}
