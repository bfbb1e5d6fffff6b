using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Tls;

/// <summary>
/// mod_ssl's serving cases that need a server of their own (issue 12): an ECDSA certificate, and
/// idle TLS keep-alive connections on a small event child. The cases every MPM shares are in
/// <see cref="TlsEndToEndTests{TServer}"/>.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TlsServingTests
{
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

    /// <summary>
    /// After a handshake the worker waits only a moment for the first request (the client's next
    /// send, SslConnectionHandler.FirstRequestWait), then the connection is parked as Apache's
    /// event MPM parks a connection waiting for input: eight clients that finish the handshake and
    /// stay silent, on one child of four workers, leave the workers free for a new client, and
    /// each is served when its request comes late.
    /// </summary>
    [Fact]
    public void ClientsSilentAfterTheHandshakeHoldNoEventWorker()
    {
        using var tls = TlsTree.SmallEventChild();
        using var server = tls.Start();
        var silent = new System.Collections.Generic.List<System.Net.Security.SslStream>();
        try
        {
            for (int i = 0; i < 8; i++)
            {
                // A worker held by an earlier silent client would leave this handshake unanswered (30 s read timeout).
                silent.Add(Connect(tls));
            }

            ProcessResult r = tls.Curl("site.test", "--max-time", "5", tls.Url("site.test", "/index.html"));
            Assert.True(r.ExitCode == 0, r.Combined + tls.Tree.ErrorLog);
            Assert.Equal("ok\n", r.StandardOutput);

            foreach (System.Net.Security.SslStream ssl in silent)
            {
                ssl.Write(Encoding.ASCII.GetBytes("GET /index.html HTTP/1.1\r\nHost: site.test\r\nConnection: close\r\n\r\n"));
                string got = ReadUntil(ssl, "ok\n", tls);
                Assert.StartsWith("HTTP/1.1 200 OK\r\n", got);
            }
        }
        finally
        {
            foreach (System.Net.Security.SslStream s in silent)
            {
                s.Dispose();
            }
        }
    }

    /// <summary>
    /// A worker waits only a moment for the client's answer to a handshake flight
    /// (SslConnectionHandler.FlightWait), then the handshake is parked half done with no worker:
    /// eight clients that send their ClientHello and then stall before their Finished, on one
    /// child of four workers, leave the workers free for a new client, and each finishes its
    /// handshake and is served when its Finished comes late.
    /// </summary>
    [Fact]
    public void ClientsStalledMidHandshakeHoldNoEventWorker()
    {
        using var tls = TlsTree.SmallEventChild();
        using var server = tls.Start();
        var stalled = new System.Collections.Generic.List<(HeldWrites Held, System.Net.Security.SslStream Ssl)>();
        try
        {
            for (int i = 0; i < 8; i++)
            {
                // A worker held by an earlier stalled client would leave this ClientHello unanswered (30 s read timeout).
                stalled.Add(ConnectStallingBeforeFinished(tls));
            }

            ProcessResult r = tls.Curl("site.test", "--max-time", "5", tls.Url("site.test", "/index.html"));
            Assert.True(r.ExitCode == 0, r.Combined + tls.Tree.ErrorLog);
            Assert.Equal("ok\n", r.StandardOutput);

            foreach ((HeldWrites held, System.Net.Security.SslStream ssl) in stalled)
            {
                held.Hold = false;
                held.Send(held.Held); // the Finished, late
                ssl.Write(Encoding.ASCII.GetBytes("GET /index.html HTTP/1.1\r\nHost: site.test\r\nConnection: close\r\n\r\n"));
                string got = ReadUntil(ssl, "ok\n", tls);
                Assert.StartsWith("HTTP/1.1 200 OK\r\n", got);
            }
        }
        finally
        {
            foreach ((_, System.Net.Security.SslStream s) in stalled)
            {
                s.Dispose();
            }
        }
    }

    /// <summary>
    /// A client that stalls after the server's flight (its Finished never comes) is closed when
    /// the handshake timeout passes, whether its handshake waits parked (event) or on its thread.
    /// </summary>
    [Theory]
    [InlineData("event")]
    [InlineData("worker")]
    [InlineData("prefork")]
    public void AClientStalledBeforeItsFinishedIsClosedAtTheHandshakeTimeout(string mpm)
    {
        using var tls = new TlsTree(mpm);
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        tls.NamedSite("site.test", cert, key, "ok\n");
        tls.Tree.AppendToMainConfig("RequestReadTimeout handshake=2");
        using var server = tls.Start();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        (HeldWrites held, System.Net.Security.SslStream ssl) = ConnectStallingBeforeFinished(tls);
        using (ssl)
        {
            int n;
            try
            {
                n = ssl.Read(new byte[64]);
            }
            catch (IOException)
            {
                n = 0; // closed with an alert or a reset
            }

            Assert.Equal(0, n);
            Assert.InRange(sw.ElapsedMilliseconds, 1_000, 15_000);
            Assert.True(held.Held > 0); // the Finished was never sent
        }
    }

    /// <summary>A TLS 1.3 client whose ClientHello leaves and whose next flight (its Finished) is held back.</summary>
    private static (HeldWrites Held, System.Net.Security.SslStream Ssl) ConnectStallingBeforeFinished(TlsTree tls)
    {
        var trust = new System.Security.Cryptography.X509Certificates.X509ChainPolicy { TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust };
        trust.CustomTrustStore.Add(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(tls.CaFile));
        trust.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
        var tcp = new TcpClient { NoDelay = true, ReceiveTimeout = 30_000 };
        tcp.Connect(IPAddress.Loopback, tls.TlsPort);
        var held = new HeldWrites(tcp.GetStream()) { PassWrites = 1 };
        var ssl = new System.Net.Security.SslStream(held, false);
        // TLS 1.3: the client's handshake ends with its own Finished, which stays held here.
        ssl.AuthenticateAsClient(new System.Net.Security.SslClientAuthenticationOptions
        {
            TargetHost = "site.test",
            CertificateChainPolicy = trust,
            EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls13,
        });
        Assert.True(held.Hold && held.Held > 0, "the client's Finished should be held");
        return (held, ssl);
    }

    /// <summary>
    /// Pipelined requests over TLS: records that arrive in one TCP segment are all served (the
    /// server hands SslStream one record at a time and keeps the rest where its idle check sees
    /// them), and so is a record whose second half comes later, after the connection has waited.
    /// </summary>
    [Fact]
    public void PipelinedTlsRecordsInOneSegmentAreAllServed()
    {
        using var tls = TlsTree.SmallEventChild();
        using var server = tls.Start();
        var trust = new System.Security.Cryptography.X509Certificates.X509ChainPolicy { TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust };
        trust.CustomTrustStore.Add(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(tls.CaFile));
        trust.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
        using var tcp = new TcpClient { NoDelay = true, ReceiveTimeout = 10_000 };
        tcp.Connect(IPAddress.Loopback, tls.TlsPort);
        var held = new HeldWrites(tcp.GetStream());
        using var ssl = new System.Net.Security.SslStream(held, false);
        ssl.AuthenticateAsClient(new System.Net.Security.SslClientAuthenticationOptions { TargetHost = "site.test", CertificateChainPolicy = trust });
        held.Hold = true;
        byte[] request = Encoding.ASCII.GetBytes("GET /index.html HTTP/1.1\r\nHost: site.test\r\n\r\n");
        ssl.Write(request); // one record each
        ssl.Write(request);
        ssl.Write(request);
        held.Send(held.Held - 10); // two and a half records in one segment, the rest later
        Thread.Sleep(300);
        held.Send(held.Held);
        var got = new StringBuilder();
        byte[] buf = new byte[8192];
        while (CountOf(got.ToString(), "HTTP/1.1 200 OK") < 3)
        {
            int n = ssl.Read(buf);
            Assert.True(n > 0, "closed after: " + got + tls.Tree.ErrorLog);
            got.Append(Encoding.ASCII.GetString(buf, 0, n));
        }

        Assert.Equal(3, CountOf(got.ToString(), "ok\n"));
    }

    /// <summary>
    /// HTTP/1.1 output over TLS waits in user space until the connection would wait for its
    /// client (so a session ticket, a response and a close_notify share one send); a flush must
    /// still send at once: a CGI script's first line arrives while the script sleeps, not with its
    /// second line four seconds later.
    /// </summary>
    [Fact]
    public void AFlushedPartOfAResponseLeavesBeforeTheRest()
    {
        using var tls = CgiSite("slow.cgi", "echo first\nsleep 4\necho second");
        using var server = tls.Start();
        using System.Net.Security.SslStream ssl = Connect(tls);
        ssl.Write(Encoding.ASCII.GetBytes("GET /cgi-bin/slow.cgi HTTP/1.1\r\nHost: site.test\r\nConnection: close\r\n\r\n"));
        string got = ReadUntil(ssl, "first\n", tls);
        Assert.DoesNotContain("second", got);
        got += ReadUntil(ssl, "second\n", tls);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", got);
    }

    /// <summary>The interim 100 Continue reaches a TLS client that waits for it before sending the body (RFC 9110 10.1.1).</summary>
    [Fact]
    public void A100ContinueReachesATlsClientWaitingForIt()
    {
        using var tls = CgiSite("echo.cgi", "cat");
        using var server = tls.Start();
        using System.Net.Security.SslStream ssl = Connect(tls);
        ssl.Write(Encoding.ASCII.GetBytes("POST /cgi-bin/echo.cgi HTTP/1.1\r\nHost: site.test\r\nContent-Length: 6\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 100 Continue\r\n", ReadUntil(ssl, "\r\n\r\n", tls));
        ssl.Write(Encoding.ASCII.GetBytes("hello\n"));
        string got = ReadUntil(ssl, "hello\n", tls);
        Assert.Contains("HTTP/1.1 200 OK\r\n", got);
    }

    /// <summary>The event MPM's small child serving site.test, with a CGI script <paramref name="name"/> under /cgi-bin/.</summary>
    private static TlsTree CgiSite(string name, string body)
    {
        var tls = new TlsTree("event");
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        tls.CgiScript(name, body);
        tls.NamedSite("site.test", cert, key, "ok\n", tls.CgiSection(""));
        return tls;
    }

    private static System.Net.Security.SslStream Connect(TlsTree tls)
    {
        var trust = new System.Security.Cryptography.X509Certificates.X509ChainPolicy { TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust };
        trust.CustomTrustStore.Add(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(tls.CaFile));
        trust.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
        var tcp = new TcpClient { NoDelay = true };
        tcp.Connect(IPAddress.Loopback, tls.TlsPort);
        var ssl = new System.Net.Security.SslStream(tcp.GetStream(), false) { ReadTimeout = 30_000 };
        ssl.AuthenticateAsClient(new System.Net.Security.SslClientAuthenticationOptions { TargetHost = "site.test", CertificateChainPolicy = trust });
        return ssl;
    }

    /// <summary>Reads until <paramref name="end"/> has arrived; what was read.</summary>
    private static string ReadUntil(System.Net.Security.SslStream ssl, string end, TlsTree tls)
    {
        var got = new StringBuilder();
        byte[] buf = new byte[8192];
        while (!got.ToString().Contains(end, StringComparison.Ordinal))
        {
            int n = ssl.Read(buf);
            Assert.True(n > 0, "closed after: " + got + tls.Tree.ErrorLog);
            got.Append(Encoding.ASCII.GetString(buf, 0, n));
        }

        return got.ToString();
    }

    private static int CountOf(string s, string what)
    {
        int count = 0;
        for (int i = s.IndexOf(what, StringComparison.Ordinal); i >= 0; i = s.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>The client's socket, holding what is written while <see cref="Hold"/> is set until <see cref="Send"/>.</summary>
    private sealed class HeldWrites(Stream inner) : Stream
    {
        private readonly MemoryStream _held = new();

        public bool Hold { get; set; }

        /// <summary>When positive, that many more writes pass, then <see cref="Hold"/> turns on.</summary>
        public int PassWrites { get; set; }

        public int Held => (int)_held.Length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        /// <summary>Sends the first <paramref name="count"/> held bytes in one write.</summary>
        public void Send(int count)
        {
            byte[] all = _held.ToArray();
            inner.Write(all, 0, count);
            _held.SetLength(0);
            _held.Write(all, count, all.Length - count);
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (PassWrites > 0 && --PassWrites == 0)
            {
                inner.Write(buffer, offset, count);
                Hold = true;
                return;
            }

            if (Hold)
            {
                _held.Write(buffer, offset, count);
            }
            else
            {
                inner.Write(buffer, offset, count);
            }
        }

        public override void Flush()
        {
            if (!Hold)
            {
                inner.Flush();
            }
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
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
