using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Tls;

/// <summary>
/// A private copy of the bundled tree with mod_ssl enabled as an admin enables it (<c>a2enmod
/// ssl</c> with its dependency socache_shmcb), a second loopback port for TLS in ports.conf's
/// <c>&lt;IfModule ssl_module&gt;</c> block, and a throw-away CA whose certificates the tests make
/// with openssl. The CA's key is written here (a test key); Pluma only reads the server keys.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class TlsTree : IDisposable
{
    public TlsTree(string mpm = "event")
    {
        Tree = new TempConfTree();
        Tree.SwitchMpm(mpm);
        TlsPort = FreePort.Next();
        string ports = Path.Combine(Tree.ConfDir, "ports.conf");
        // TempConfTree pointed every Listen line at its port; the ssl_module block gets its own.
        string text = Regex.Replace(File.ReadAllText(ports), @"(<IfModule ssl_module>\s*Listen 127\.0\.0\.1:)\d+", "${1}" + TlsPort, RegexOptions.None, TimeSpan.FromSeconds(1));
        Assert.Contains("Listen 127.0.0.1:" + TlsPort + "\n", text);
        File.WriteAllText(ports, text);
        ProcessResult r = ProcessRunner.Run(Path.Combine(RepositoryPaths.Root, "bin", "a2enmod"), ["-q", "ssl"], Tree.AdminEnvironment);
        Assert.True(r.ExitCode == 0, r.Combined);
        CertDir = Path.Combine(Tree.Top, "ssl");
        Directory.CreateDirectory(CertDir);
        OpenSsl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=Pluma Test CA", "-keyout", Path.Combine(CertDir, "ca.key"), "-out", CaFile);
    }

    public TempConfTree Tree { get; }

    public int TlsPort { get; }

    public string CertDir { get; }

    /// <summary>The test CA's certificate (curl --cacert, SSLCACertificateFile).</summary>
    public string CaFile => Path.Combine(CertDir, "ca.pem");

    /// <summary>
    /// A certificate for <paramref name="names"/> signed by the test CA, and its key (mode 0600,
    /// owned by the test's user: only the parent, still root, can read it when the tests run as root).
    /// Returns (certificate, key) paths.
    /// </summary>
    public (string Cert, string Key) Certificate(string file, string[] names, string keyType = "rsa:2048", bool client = false)
    {
        string cert = Path.Combine(CertDir, file + ".pem");
        string key = Path.Combine(CertDir, file + ".key");
        string csr = Path.Combine(CertDir, file + ".csr");
        string ext = Path.Combine(CertDir, file + ".ext");
        string[] keyArgs = keyType.StartsWith("ec", StringComparison.Ordinal)
            ? ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
            : ["-newkey", keyType];
        OpenSsl(["req", .. keyArgs, "-nodes", "-subj", "/CN=" + names[0], "-keyout", key, "-out", csr]);
        File.WriteAllText(ext, client
            ? "extendedKeyUsage=clientAuth\n"
            : "subjectAltName=" + string.Join(',', Array.ConvertAll(names, n => "DNS:" + n)) + "\nextendedKeyUsage=serverAuth\n");
        OpenSsl("x509", "-req", "-in", csr, "-CA", CaFile, "-CAkey", Path.Combine(CertDir, "ca.key"), "-CAcreateserial",
            "-days", "2", "-extfile", ext, "-out", cert);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (cert, key);
    }

    /// <summary>Writes sites-enabled/NAME.conf.</summary>
    public void Site(string name, string text) => Tree.WriteConf(Path.Combine("sites-enabled", name + ".conf"), text);

    /// <summary>A name-based TLS virtual host on the TLS port with its own document root holding index.html = <paramref name="body"/>.</summary>
    public string NamedSite(string serverName, string cert, string key, string body, string extra = "")
    {
        string root = Path.Combine(Tree.Top, "www", serverName);
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "index.html"), body);
        Site("100-" + serverName, $"""
            <VirtualHost *:{TlsPort}>
                ServerName {serverName}
                DocumentRoot {root}
                SSLEngine on
                SSLCertificateFile {cert}
                SSLCertificateKeyFile {key}
            {extra}
            </VirtualHost>
            """);
        return root;
    }

    /// <summary>Takes SSLCipherSuite out of Debian's ssl.conf (OpenSSL's default list, and sessions may resume).</summary>
    public void WithoutCipherSuite()
    {
        string sslConf = Path.Combine(Tree.ConfDir, "mods-available", "ssl.conf");
        string text = File.ReadAllText(sslConf);
        Assert.Contains("\nSSLCipherSuite HIGH:!aNULL\n", text);
        File.WriteAllText(sslConf, text.Replace("\nSSLCipherSuite HIGH:!aNULL\n", "\n", StringComparison.Ordinal));
    }

    /// <summary>
    /// The event MPM with one child of four workers serving site.test (index.html = "ok\n"): the
    /// set-up of the tests that show idle or stalled TLS connections hold no worker.
    /// </summary>
    public static TlsTree SmallEventChild()
    {
        var tls = new TlsTree("event");
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        tls.NamedSite("site.test", cert, key, "ok\n");
        tls.Tree.WriteConf("mods-available/mpm_event.conf", """
            StartServers            1
            ServerLimit             1
            ThreadLimit             4
            ThreadsPerChild         4
            MinSpareThreads         1
            MaxSpareThreads         4
            MaxRequestWorkers       4
            MaxConnectionsPerChild  0
            """);
        return tls;
    }

    public PlumaServer Start() => PlumaServer.Start(Tree);

    /// <summary><c>pluma -t</c> on the tree.</summary>
    public ProcessResult SyntaxCheck() => ProcessRunner.Run(RepositoryPaths.PlumaBinary, ["-d", Tree.ConfDir, "-t"]);

    /// <summary>curl over https to the TLS port, trusting the test CA, with <paramref name="host"/> resolved to loopback (SNI = host).</summary>
    public ProcessResult Curl(string host, params string[] args) =>
        ProcessRunner.Run("curl", ["-sS", "--max-time", "20", "--cacert", CaFile, "--resolve", host + ":" + TlsPort + ":127.0.0.1", .. args], timeoutMs: 30_000);

    /// <summary>https URL of <paramref name="path"/> at <paramref name="host"/> on the TLS port.</summary>
    public string Url(string host, string path) => "https://" + host + ":" + TlsPort + path;

    /// <summary>
    /// openssl s_client to the TLS port; <paramref name="input"/> is sent after the handshake and
    /// s_client then waits for the server to close (send a request that closes); with no input it
    /// leaves right after the handshake.
    /// </summary>
    public ProcessResult SClient(IEnumerable<string> args, string input = "") =>
        ProcessRunner.Run("openssl", ["s_client", "-connect", "127.0.0.1:" + TlsPort, "-CAfile", CaFile, input.Length > 0 ? "-ign_eof" : "-no_ign_eof", .. args], stdin: input, timeoutMs: 30_000);

    public void Dispose() => Tree.Dispose();

    private static void OpenSsl(params string[] args)
    {
        ProcessResult r = ProcessRunner.Run("openssl", args);
        Assert.True(r.ExitCode == 0, "openssl " + string.Join(' ', args) + ":\n" + r.Combined);
    }
}
