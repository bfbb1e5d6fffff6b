using System.IO;
using System.Threading;
using Pluma.Testing;

namespace Pluma.FunctionalTests.RemoteIp;

/// <summary>
/// A tree with mod_remoteip: the default server takes the client from X-Forwarded-For (an internal
/// proxy list file naming 127.0.0.1 and a trusted proxy), a second address speaks the PROXY
/// protocol (except for peers from 127.0.0.2). A CGI script shows the environment, the access log
/// prints "%a %{c}a %h".
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RemoteIpSite : IDisposable
{
    public RemoteIpSite()
    {
        Tree = new TempConfTree();
        ProxyPort = FreePort.Next();
        CgiBin = Path.Combine(Tree.Top, "cgi-bin");
        Directory.CreateDirectory(CgiBin);
        Directory.CreateDirectory(Path.Combine(Tree.DocumentRoot, "only-doc"));
        File.WriteAllText(Path.Combine(Tree.DocumentRoot, "only-doc", "index.html"), "documentation network\n");
        string script = Path.Combine(CgiBin, "env.cgi");
        File.WriteAllText(script, "#!/bin/sh\necho Content-Type: text/plain\necho\nenv | sort\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        File.WriteAllText(Path.Combine(Tree.ConfDir, "internal-proxies.txt"), "# the test client\n127.0.0.1   # loopback\n\n");
        string common =
            "  DocumentRoot " + Tree.DocumentRoot + "\n" +
            "  ErrorLog ${APACHE_LOG_DIR}/error.log\n" +
            "  CustomLog ${APACHE_LOG_DIR}/access.log rip\n" +
            "  ScriptAlias /cgi-bin/ " + CgiBin + "/\n" +
            "  <Location /only-doc/>\n    Require ip 203.0.113.0/24\n  </Location>\n";
        Tree.WriteConf(Path.Combine("sites-available", "000-default.conf"),
            $"<VirtualHost *:{Tree.Port}>\n" + common +
            "  RemoteIPHeader X-Forwarded-For\n" +
            "  RemoteIPInternalProxyList internal-proxies.txt\n" +
            "  RemoteIPTrustedProxy 198.51.100.7\n" +
            "  RemoteIPProxiesHeader X-Forwarded-By\n" +
            "</VirtualHost>\n" +
            $"<VirtualHost 127.0.0.1:{ProxyPort}>\n" + common +
            "  RemoteIPProxyProtocol On\n" +
            "  RemoteIPProxyProtocolExceptions 127.0.0.2\n" +
            "</VirtualHost>\n");
        Tree.AppendToMainConfig(
            "LoadModule remoteip_module /usr/lib/apache2/modules/mod_remoteip.so\n" +
            "LoadModule cgid_module /usr/lib/apache2/modules/mod_cgid.so\n" +
            "ScriptSock " + Path.Combine(Tree.Top, "cgisock") + "\n" +
            $"Listen 127.0.0.1:{ProxyPort}\n" +
            "LogFormat \"%a %{c}a %h \\\"%r\\\" %>s\" rip\n" +
            "<Directory \"" + CgiBin + "\">\n  Options +ExecCGI\n  Require all granted\n</Directory>\n");
        Process = PlumaServer.Start(Tree);
    }

    public TempConfTree Tree { get; }

    public int ProxyPort { get; }

    public string CgiBin { get; }

    public PlumaServer Process { get; }

    public string AccessLog => File.Exists(Path.Combine(Tree.LogDir, "access.log")) ? File.ReadAllText(Path.Combine(Tree.LogDir, "access.log")) : "";

    /// <summary>Waits (a few seconds at most) until the access log holds <paramref name="line"/>.</summary>
    public bool WaitForAccessLine(string line) => WaitFor(() => AccessLog.Contains(line + "\n", StringComparison.Ordinal));

    public bool WaitForErrorLog(string text) => WaitFor(() => Tree.ErrorLog.Contains(text, StringComparison.Ordinal));

    private static bool WaitFor(Func<bool> test)
    {
        for (int i = 0; i < 100; i++)
        {
            if (test())
            {
                return true;
            }

            Thread.Sleep(50);
        }

        return false;
    }

    public void Dispose()
    {
        Process.Dispose();
        Tree.Dispose();
    }
}
