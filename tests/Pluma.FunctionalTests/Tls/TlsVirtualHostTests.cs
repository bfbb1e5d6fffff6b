using System.IO;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Tls;

/// <summary>
/// A TLS virtual host behind a TLS-passthrough load balancer (issue 12). SNI, 421, SSLProtocol,
/// cipher order and the SSL_* variables per virtual host are in <see cref="TlsEndToEndTests{TServer}"/>.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TlsVirtualHostTests
{
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
