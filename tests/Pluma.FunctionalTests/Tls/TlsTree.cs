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
    private bool _cgiLoaded;

    public TlsTree(string mpm = "event")
    {
        Mpm = mpm;
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

    /// <summary>The MPM the tree runs (event, worker or prefork).</summary>
    public string Mpm { get; }

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

    /// <summary>
    /// A client certificate for <paramref name="name"/> (extendedKeyUsage clientAuth) signed by the
    /// test CA. Returns (certificate, key) paths.
    /// </summary>
    public (string Cert, string Key) ClientCertificate(string name) => Certificate("client-" + name, [name], client: true);

    /// <summary>
    /// A self-signed client certificate for <paramref name="name"/>: a client of a CA the server
    /// does not know. Returns (certificate, key) paths.
    /// </summary>
    public (string Cert, string Key) StrangerCertificate(string name)
    {
        string cert = Path.Combine(CertDir, "stranger-" + name + ".pem");
        string key = Path.Combine(CertDir, "stranger-" + name + ".key");
        OpenSsl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=" + name, "-addext", "extendedKeyUsage=clientAuth", "-keyout", key, "-out", cert);
        return (cert, key);
    }

    /// <summary>
    /// A CGI script <paramref name="name"/> (mode 0755, a shell script writing <paramref name="body"/>'s
    /// output after a text/plain header) in the tree's cgi-bin folder, and the CGI module the MPM
    /// takes (mod_cgi on prefork, mod_cgid on the threaded MPMs, as Debian's a2enmod cgi picks).
    /// Returns the folder; <see cref="CgiSection"/> maps it into a virtual host.
    /// </summary>
    public string CgiScript(string name, string body)
    {
        string cgiBin = Path.Combine(Tree.Top, "cgi-bin");
        Directory.CreateDirectory(cgiBin);
        string script = Path.Combine(cgiBin, name);
        File.WriteAllText(script, "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\n" + body + "\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        if (!_cgiLoaded)
        {
            Tree.AppendToMainConfig(Mpm == "prefork"
                ? "LoadModule cgi_module /usr/lib/apache2/modules/mod_cgi.so"
                : "LoadModule cgid_module /usr/lib/apache2/modules/mod_cgid.so\nScriptSock " + Path.Combine(Tree.Top, "cgisock"));
            _cgiLoaded = true;
        }

        return cgiBin;
    }

    /// <summary>The lines of a virtual host that serve the cgi-bin folder at /cgi-bin/ with <paramref name="sslOptions"/> (for example <c>+StdEnvVars</c>; none when empty) on the folder.</summary>
    public string CgiSection(string sslOptions) => $"""
            ScriptAlias /cgi-bin/ {Path.Combine(Tree.Top, "cgi-bin")}/
            <Directory {Path.Combine(Tree.Top, "cgi-bin")}>
                Require all granted
                {(sslOptions.Length > 0 ? "SSLOptions " + sslOptions : "")}
            </Directory>
        """;

    /// <summary>
    /// The client-certificate set-up: a TLS site <paramref name="serverName"/> (index.html =
    /// <paramref name="body"/>) that trusts the test CA for client certificates
    /// (<c>SSLCACertificateFile</c>, <c>SSLVerifyClient</c> <paramref name="verifyClient"/>,
    /// <c>SSLVerifyDepth 2</c>) and runs the CGI script <paramref name="scriptName"/> under
    /// <c>SSLOptions</c> <paramref name="sslOptions"/>; a client certificate of the CA for alice,
    /// and one for mallory that the CA did not sign.
    /// </summary>
    public ClientCertificateSetup ClientCertificateSite(string serverName, string verifyClient, string sslOptions, string scriptName, string script, string body)
    {
        (string cert, string key) = Certificate(serverName, [serverName]);
        (string clientCert, string clientKey) = ClientCertificate("alice");
        (string strangerCert, string strangerKey) = StrangerCertificate("mallory");
        CgiScript(scriptName, script);
        NamedSite(serverName, cert, key, body, $"""
                SSLCACertificateFile {CaFile}
                SSLVerifyClient {verifyClient}
                SSLVerifyDepth 2
            {CgiSection(sslOptions)}
            """);
        return new ClientCertificateSetup(cert, clientCert, clientKey, strangerCert, strangerKey);
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

/// <summary>What <see cref="TlsTree.ClientCertificateSite"/> made: the site's certificate, a client pair of the test CA, and a client pair of no CA the server trusts.</summary>
internal sealed record ClientCertificateSetup(string SiteCert, string ClientCert, string ClientKey, string StrangerCert, string StrangerKey);
