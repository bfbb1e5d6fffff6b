using System.IO;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Http2;

/// <summary>
/// H2Direct as mod_http2 decides it: per connection, from the server that the connection's local
/// address and port select (the IP-based virtual host, h2_allows_h2_direct on c->base_server),
/// not from the main server alone. Two ports, one of them an IP-based virtual host with its own
/// H2Direct; curl's prior knowledge on each, against Debian's apache2 and Pluma on the same tree.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class Http2DirectVhostTests
{
    [Theory]
    [InlineData("on", "off")]
    [InlineData("off", "on")]
    public void PriorKnowledgeFollowsTheVirtualHostOfTheLocalAddress(string mainDirect, string vhostDirect)
    {
        using var pair = new DifferentialPair(tree => Prepare(tree, mainDirect, vhostDirect));
        int plumaSecond = SecondPort(pair.PlumaTree);
        int apacheSecond = SecondPort(pair.ApacheTree);

        string apacheMain = PriorKnowledge(pair.ApachePort);
        string apacheVhost = PriorKnowledge(apacheSecond);
        string plumaMain = PriorKnowledge(pair.PlumaPort);
        string plumaVhost = PriorKnowledge(plumaSecond);

        // Where H2Direct is on, the preface is HTTP/2; where it is off, the preface is read as an
        // HTTP/1.1 request line and curl gets no HTTP/2 answer.
        Assert.Equal(mainDirect == "on" ? "main|2|200" : "no h2", apacheMain);
        Assert.Equal(vhostDirect == "on" ? "vhost|2|200" : "no h2", apacheVhost);
        Assert.Equal(apacheMain, plumaMain);
        Assert.Equal(apacheVhost, plumaVhost);

        // HTTP/1.1 is served on both ports either way.
        Assert.Equal("vhost|1.1", Curl("--http1.1", "-w", "|%{http_version}", "http://127.0.0.1:" + plumaSecond + "/which.txt").StandardOutput);
        Assert.Equal("main|1.1", Curl("--http1.1", "-w", "|%{http_version}", "http://127.0.0.1:" + pair.PlumaPort + "/which.txt").StandardOutput);
    }

    /// <summary>
    /// mod_http2 looks for the preface only on a connection's first request (c->keepalives 0):
    /// after an HTTP/1.1 request the preface is read as an HTTP/1.1 request line, "PRI *
    /// HTTP/2.0", and answered 400 with the connection closed. Both servers, the same answer.
    /// </summary>
    [Fact]
    public void APrefaceAfterAnHttp11RequestIsNotHttp2()
    {
        using var pair = new DifferentialPair(tree => Prepare(tree, "on", "on"));
        string apache = PrefaceSecond(pair.ApachePort);
        string pluma = PrefaceSecond(pair.PlumaPort);
        Assert.Equal("HTTP/1.1 200 OK|HTTP/1.1 400 Bad Request|closed", apache);
        Assert.Equal(apache, pluma);
    }

    /// <summary>The status lines of an HTTP/1.1 GET and of the preface sent after it on the same connection, then whether it closed.</summary>
    private static string PrefaceSecond(int port)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { ReceiveTimeout = 10_000 };
        socket.Connect(System.Net.IPAddress.Loopback, port);
        socket.Send("GET /which.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"u8);
        string first = ReadUntil(socket, "main");
        socket.Send([.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, 0, 0, 0, 4, 0, 0, 0, 0, 0]);
        string second = ReadUntil(socket, null);
        return first.Split("\r\n")[0] + "|" + second.Split("\r\n")[0] + "|closed";
    }

    /// <summary>Bytes until <paramref name="end"/> has arrived, or (null) until the server closes.</summary>
    private static string ReadUntil(System.Net.Sockets.Socket socket, string? end)
    {
        var text = new System.Text.StringBuilder();
        byte[] buffer = new byte[65536];
        while (end is null || !text.ToString().EndsWith(end, StringComparison.Ordinal))
        {
            int n = socket.Receive(buffer);
            if (n == 0)
            {
                break;
            }

            text.Append(System.Text.Encoding.Latin1.GetString(buffer, 0, n));
        }

        return text.ToString();
    }

    /// <summary>The second port (its own per tree, written beside it) with an IP-based virtual host of its own H2Direct.</summary>
    private static void Prepare(TempConfTree tree, string mainDirect, string vhostDirect)
    {
        int second = FreePort.Next();
        ProcessResult r = ProcessRunner.Run(Path.Combine(RepositoryPaths.Root, "bin", "a2enmod"), ["-q", "http2"], tree.AdminEnvironment);
        Assert.True(r.ExitCode == 0, r.Combined);
        File.WriteAllText(Path.Combine(tree.DocumentRoot, "which.txt"), "main");
        string vhostRoot = Path.Combine(tree.Top, "www", "vhost");
        Directory.CreateDirectory(vhostRoot);
        File.WriteAllText(Path.Combine(vhostRoot, "which.txt"), "vhost");
        File.WriteAllText(Path.Combine(tree.Top, "second-port"), second.ToString(System.Globalization.CultureInfo.InvariantCulture));
        tree.AppendToMainConfig($"""
            Listen 127.0.0.1:{second}
            H2Direct {mainDirect}
            <VirtualHost 127.0.0.1:{second}>
                ServerName vhost.test
                DocumentRoot {vhostRoot}
                H2Direct {vhostDirect}
                <Directory {vhostRoot}>
                    Require all granted
                </Directory>
            </VirtualHost>
            """);
    }

    private static int SecondPort(TempConfTree tree) =>
        int.Parse(File.ReadAllText(Path.Combine(tree.Top, "second-port")), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"BODY|VERSION|STATUS" of curl's prior-knowledge GET, or "no h2" when the answer was not HTTP/2.</summary>
    private static string PriorKnowledge(int port)
    {
        ProcessResult r = Curl("--http2-prior-knowledge", "-w", "|%{http_version}|%{http_code}", "http://127.0.0.1:" + port + "/which.txt");
        return r.ExitCode == 0 && r.StandardOutput.Contains("|2|", StringComparison.Ordinal) ? r.StandardOutput : "no h2";
    }

    private static ProcessResult Curl(params string[] args) =>
        ProcessRunner.Run("curl", ["-sS", "--max-time", "20", .. args], timeoutMs: 30_000);
}
