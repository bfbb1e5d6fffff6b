using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Tls;

/// <summary>
/// mod_ssl's bad input (issue 12): a missing, broken or mismatched certificate or key, an
/// encrypted key with no SSLPassPhraseDialog program and an unknown SSLProtocol name are refused
/// by <c>-t</c> and at start with the file, the line and Apache's message (the texts Debian's
/// apache2 2.4.71 logs at start-up); a graceful restart onto a bad certificate leaves the
/// running generation serving; a client that stalls in the handshake is closed when the
/// handshake timeout passes, and in event holds no worker meanwhile.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TlsBadInputTests
{
    [Fact]
    public void AMissingCertificateFileIsRefusedWithTheLine()
    {
        using var tls = new TlsTree();
        (_, string key) = tls.Certificate("site", ["site.test"]);
        string missing = Path.Combine(tls.CertDir, "missing.pem");
        tls.NamedSite("site.test", missing, key, "x");
        string site = Path.Combine(tls.Tree.ConfDir, "sites-enabled", "100-site.test.conf");
        AssertRefused(tls, $"AH00526: Syntax error on line 5 of {site}:\nSSLCertificateFile: file '{missing}' does not exist or is empty\n");
    }

    [Fact]
    public void ABrokenCertificateIsRefusedWithApachesMessage()
    {
        using var tls = new TlsTree();
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        File.WriteAllText(cert, File.ReadAllText(cert)[..300]);
        tls.NamedSite("site.test", cert, key, "x");
        string site = Path.Combine(tls.Tree.ConfDir, "sites-enabled", "100-site.test.conf");
        AssertRefused(tls, $"AH00526: Syntax error on line 5 of {site}:\nAH02562: Failed to configure certificate site.test:443:0 (with chain), check {cert}\n");
    }

    [Fact]
    public void AKeyThatDoesNotMatchTheCertificateIsRefused()
    {
        using var tls = new TlsTree();
        (string cert, _) = tls.Certificate("site", ["site.test"]);
        (_, string otherKey) = tls.Certificate("other", ["other.test"]);
        tls.NamedSite("site.test", cert, otherKey, "x");
        string site = Path.Combine(tls.Tree.ConfDir, "sites-enabled", "100-site.test.conf");
        AssertRefused(tls, $"AH00526: Syntax error on line 6 of {site}:\nAH02565: Certificate and private key site.test:443:0 from {cert} and {otherKey} do not match\n");
    }

    [Fact]
    public void ABrokenKeyIsRefused()
    {
        using var tls = new TlsTree();
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        File.WriteAllText(key, "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
        tls.NamedSite("site.test", cert, key, "x");
        string site = Path.Combine(tls.Tree.ConfDir, "sites-enabled", "100-site.test.conf");
        AssertRefused(tls, $"AH00526: Syntax error on line 6 of {site}:\nAH02564: Failed to configure encrypted (?) private key site.test:443:0, check {key}\n");
    }

    [Fact]
    public void AnEncryptedKeyNeedsAPassPhraseProgram()
    {
        using var tls = new TlsTree();
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        string encrypted = Path.Combine(tls.CertDir, "encrypted.key");
        ProcessResult enc = ProcessRunner.Run("openssl", ["pkey", "-in", key, "-aes128", "-passout", "pass:s3cret", "-out", encrypted]);
        Assert.True(enc.ExitCode == 0, enc.Combined);
        tls.NamedSite("site.test", cert, encrypted, "x");
        string site = Path.Combine(tls.Tree.ConfDir, "sites-enabled", "100-site.test.conf");

        // Without SSLPassPhraseDialog (builtin), the phrase would be asked on a terminal: refused.
        // (Debian's ssl.conf names /usr/share/apache2/ask-for-passphrase, which waits for
        // systemd-ask-password without end when no one is there, as it does for Apache.)
        string sslConf = Path.Combine(tls.Tree.ConfDir, "mods-available", "ssl.conf");
        string debians = File.ReadAllText(sslConf);
        File.WriteAllText(sslConf, debians.Replace("SSLPassPhraseDialog  exec:/usr/share/apache2/ask-for-passphrase", "", StringComparison.Ordinal));
        AssertRefused(tls, $"AH00526: Syntax error on line 6 of {site}:\nAH02578: Init: Unable to read pass phrase [Hint: key introduced or changed before restart?]\nAH02564: Failed to configure encrypted (?) private key site.test:443:0, check {encrypted}\n");

        // A program that prints the phrase (SSLPassPhraseDialog exec:) unlocks it.
        string program = Path.Combine(tls.CertDir, "phrase.sh");
        File.WriteAllText(program, "#!/bin/sh\n[ $# = 1 ] && [ \"$1\" = site.test:443:0 ] && echo s3cret\n");
        File.SetUnixFileMode(program, (UnixFileMode)0b111_101_101);
        File.WriteAllText(sslConf, debians.Replace("exec:/usr/share/apache2/ask-for-passphrase", "exec:" + program, StringComparison.Ordinal));
        ProcessResult ok = tls.SyntaxCheck();
        Assert.True(ok.ExitCode == 0, ok.Combined);
        using var server = tls.Start();
        ProcessResult r = tls.Curl("site.test", tls.Url("site.test", "/index.html"));
        Assert.True(r.ExitCode == 0, r.Combined);
        Assert.Equal("x", r.StandardOutput);
    }

    [Fact]
    public void AnUnknownProtocolNameIsRefused()
    {
        using var tls = new TlsTree();
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        tls.NamedSite("site.test", cert, key, "x", "    SSLProtocol all -TLSv1.4");
        string site = Path.Combine(tls.Tree.ConfDir, "sites-enabled", "100-site.test.conf");
        AssertRefused(tls, $"AH00526: Syntax error on line 7 of {site}:\nSSLProtocol: Illegal protocol 'TLSv1.4'\n");
    }

    [Fact]
    public void SslHonorCipherOrderOffIsRefused()
    {
        using var tls = new TlsTree();
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        tls.NamedSite("site.test", cert, key, "x", "    SSLHonorCipherOrder off");
        string site = Path.Combine(tls.Tree.ConfDir, "sites-enabled", "100-site.test.conf");
        AssertRefused(tls, $"AH00526: Syntax error on line 7 of {site}:\nPL00302: SSLHonorCipherOrder off: choosing by the client's cipher order is not built (SslStream always uses the server's) in Pluma's mod_ssl, so it is refused rather than ignored\n");
    }

    [Fact]
    public void AGracefulRestartOntoABadCertificateKeepsTheRunningGeneration()
    {
        using var tls = new TlsTree();
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        tls.NamedSite("site.test", cert, key, "still here\n");
        using var server = tls.Start();
        Assert.Equal("still here\n", tls.Curl("site.test", tls.Url("site.test", "/index.html")).StandardOutput);

        File.WriteAllText(cert, "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n");
        server.Signal(NativeSignals.SIGUSR1);
        var sw = Stopwatch.StartNew();
        while (!tls.Tree.ErrorLog.Contains("PL00102", StringComparison.Ordinal) && sw.ElapsedMilliseconds < 15_000)
        {
            Thread.Sleep(100);
        }

        Assert.Contains("PL00102: configuration reload refused, the running configuration stays in force: ", tls.Tree.ErrorLog);
        Assert.Contains("AH02562: Failed to configure certificate site.test:443:0 (with chain), check " + cert, tls.Tree.ErrorLog);
        for (int i = 0; i < 3; i++)
        {
            ProcessResult r = tls.Curl("site.test", tls.Url("site.test", "/index.html"));
            Assert.True(r.ExitCode == 0, r.Combined + tls.Tree.ErrorLog);
            Assert.Equal("still here\n", r.StandardOutput);
        }

        Assert.False(server.HasExited);
    }

    [Theory]
    [InlineData("event")]
    [InlineData("worker")]
    [InlineData("prefork")]
    public void AClientThatStallsInTheHandshakeIsClosedAtTheHandshakeTimeout(string mpm)
    {
        using var tls = new TlsTree(mpm);
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        tls.NamedSite("site.test", cert, key, "ok\n");
        tls.Tree.AppendToMainConfig("RequestReadTimeout handshake=2");
        using var server = tls.Start();
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 15_000 };
        s.Connect(new IPEndPoint(IPAddress.Loopback, tls.TlsPort));
        // A TLS record header announcing a 512-byte ClientHello, then nothing.
        s.Send([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]);
        var sw = Stopwatch.StartNew();
        int n = s.Receive(new byte[64]);
        Assert.Equal(0, n);
        Assert.InRange(sw.ElapsedMilliseconds, 1_000, 6_000);
    }

    [Fact]
    public void StalledHandshakesHoldNoEventWorker()
    {
        using var tls = TlsTree.SmallEventChild();
        tls.Tree.AppendToMainConfig("RequestReadTimeout handshake=20");
        using var server = tls.Start();
        var stalled = new System.Collections.Generic.List<Socket>();
        try
        {
            // Five times as many half-sent ClientHellos as there are workers.
            for (int i = 0; i < 20; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                s.Connect(new IPEndPoint(IPAddress.Loopback, tls.TlsPort));
                s.Send([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]);
                stalled.Add(s);
            }

            Thread.Sleep(500);
            ProcessResult r = tls.Curl("site.test", "--max-time", "5", tls.Url("site.test", "/index.html"));
            Assert.True(r.ExitCode == 0, r.Combined + tls.Tree.ErrorLog);
            Assert.Equal("ok\n", r.StandardOutput);
        }
        finally
        {
            foreach (Socket s in stalled)
            {
                s.Dispose();
            }
        }
    }

    /// <summary>-t and a start both refuse the tree with <paramref name="expected"/> on stderr, exit 1.</summary>
    private static void AssertRefused(TlsTree tls, string expected)
    {
        ProcessResult check = tls.SyntaxCheck();
        Assert.Equal(1, check.ExitCode);
        Assert.Equal(expected, check.StandardError);
        ProcessResult start = ProcessRunner.Run(RepositoryPaths.PlumaBinary, ["-d", tls.Tree.ConfDir, "-D", "FOREGROUND"], timeoutMs: 30_000);
        Assert.Equal(1, start.ExitCode);
        Assert.Contains(expected, start.StandardError);
        Assert.False(File.Exists(tls.Tree.PidFile));
    }
}
