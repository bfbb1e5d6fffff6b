using System.IO;
using Pluma.Testing;

namespace Pluma.FunctionalTests.Tls;

/// <summary>
/// One TLS server per MPM, shared by all the end-to-end cases of <see cref="TlsEndToEndTests{TServer}"/>
/// (issue 12: "against each MPM"), so that a case costs its clients and not a server start. The
/// tree is the bundled one with <c>a2enmod ssl</c> (Debian's ssl.conf: SSLCipherSuite HIGH:!aNULL,
/// SSLSessionCache shmcb, SSLSessionCacheTimeout 300, no tickets) and one child, which keeps the
/// cases' time and memory small on a two-core machine (sessions across children:
/// TlsSessionTests.ASessionResumesInEveryChild). Name-based virtual hosts on the TLS port, each with its own certificate:
/// <list type="bullet">
/// <item>a.test (first: the server of a client that sends no SNI): pages, a large file, a page for
/// Chromium, a CGI script at /cgi-bin/env.cgi under +StdEnvVars (by &lt;Location&gt;) and at /plain/env.cgi without;</item>
/// <item>b.test: <c>SSLHonorCipherOrder on</c>;</item>
/// <item>v13.test: <c>SSLProtocol -all +TLSv1.3</c>;</item>
/// <item>tickets.test: <c>SSLSessionTickets on</c>;</item>
/// <item>client.test: <c>SSLVerifyClient require</c> with the test CA (<see cref="TlsTree.ClientCertificateSite"/>).</item>
/// </list>
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public abstract class TlsMpmServer : IDisposable
{
    /// <summary>A large file: many TLS records, and on event more than one write-completion round.</summary>
    public static readonly byte[] Big = MakeBig();

    /// <summary>a.test's page for Chromium: its script reports the page's protocol and a same-origin fetch of data.txt.</summary>
    public const string BrowserPage = """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>Pluma over TLS</title></head><body><h1>Pluma over TLS</h1><p id="out">pending</p>
        <script>
        var x = new XMLHttpRequest();
        x.open('GET', '/data.txt', false);
        x.send();
        document.getElementById('out').textContent = location.protocol + ' ' + x.status + ' ' + x.responseText.trim() + ' ' + window.isSecureContext;
        </script></body></html>
        """;

    private const string OnePreforkChild = """
        StartServers            1
        MinSpareServers         1
        MaxSpareServers         1
        ServerLimit             1
        MaxRequestWorkers       1
        MaxConnectionsPerChild  0
        """;

    private const string OneThreadedChild = """
        StartServers            1
        ServerLimit             1
        ThreadLimit             8
        ThreadsPerChild         8
        MinSpareThreads         1
        MaxSpareThreads         8
        MaxRequestWorkers       8
        MaxConnectionsPerChild  0
        """;

    private readonly PlumaServer _server;

    protected TlsMpmServer(string mpm)
    {
        Tls = new TlsTree(mpm);
        try
        {
            Tls.Tree.WriteConf("mods-available/mpm_" + mpm + ".conf", mpm == "prefork" ? OnePreforkChild : OneThreadedChild);
            (string certA, string keyA) = Tls.Certificate("a", ["a.test"]);
            Tls.CgiScript("env.cgi", "env | sort");
            string root = Tls.NamedSite("a.test", certA, keyA, "site a\n", $"""
                {Tls.CgiSection("")}
                    ScriptAlias /plain/ {Path.Combine(Tls.Tree.Top, "cgi-bin")}/
                    <Location /cgi-bin/>
                        SSLOptions +StdEnvVars
                    </Location>
                """);
            File.WriteAllBytes(Path.Combine(root, "big.bin"), Big);
            File.WriteAllText(Path.Combine(root, "page.html"), BrowserPage);
            File.WriteAllText(Path.Combine(root, "data.txt"), "fetched over tls\n");
            CertA = certA;

            (string certB, string keyB) = Tls.Certificate("b", ["b.test"]);
            Tls.NamedSite("b.test", certB, keyB, "site b\n", "    SSLHonorCipherOrder on");
            (string cert13, string key13) = Tls.Certificate("v13", ["v13.test"]);
            Tls.NamedSite("v13.test", cert13, key13, "site v13\n", "    SSLProtocol -all +TLSv1.3");
            (string certT, string keyT) = Tls.Certificate("tickets", ["tickets.test"]);
            Tls.NamedSite("tickets.test", certT, keyT, "site tickets\n", "    SSLSessionTickets on");
            Client = Tls.ClientCertificateSite("client.test", "require", "+StdEnvVars", "client.cgi", "env | sort", "verified\n");
            _server = Tls.Start();
        }
        catch
        {
            Tls.Dispose();
            throw;
        }
    }

    internal TlsTree Tls { get; }

    /// <summary>a.test's certificate (Chromium pins its key).</summary>
    internal string CertA { get; }

    internal ClientCertificateSetup Client { get; }

    public void Dispose()
    {
        _server.Dispose();
        Tls.Dispose();
        GC.SuppressFinalize(this);
    }

    private static byte[] MakeBig()
    {
        byte[] big = new byte[(3 * 1024 * 1024) + 17];
        new Random(12).NextBytes(big);
        return big;
    }
}

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class EventTlsServer : TlsMpmServer
{
    public EventTlsServer()
        : base("event")
    {
    }
}

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class WorkerTlsServer : TlsMpmServer
{
    public WorkerTlsServer()
        : base("worker")
    {
    }
}

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PreforkTlsServer : TlsMpmServer
{
    public PreforkTlsServer()
        : base("prefork")
    {
    }
}
