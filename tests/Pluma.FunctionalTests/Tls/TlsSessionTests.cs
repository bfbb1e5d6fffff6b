using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Tls;

/// <summary>
/// Sessions as Debian's ssl.conf sets them up (issue 12): resumption by session id from the
/// server's cache for SSLSessionCacheTimeout seconds, no tickets (SSLSessionTickets off), and
/// mod_ssl's SSL_SESSION_ID and SSL_SESSION_RESUMED in a CGI's environment (+StdEnvVars) and in
/// <c>%{VAR}x</c>, compared with Debian's apache2 on the same tree, and the children's shared
/// store. Most trees here run one child, so that both servers meet the same process.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TlsSessionTests
{
    private const string Format = "%{SSL_SESSION_ID}x|%{SSL_SESSION_RESUMED}x|%{SSL_PROTOCOL}x";

    private const string OnePreforkChild = """
        StartServers            1
        MinSpareServers         1
        MaxSpareServers         1
        ServerLimit             1
        MaxRequestWorkers       1
        MaxConnectionsPerChild  0
        """;

    private const string ThreePreforkChildren = """
        StartServers            3
        MinSpareServers         3
        MaxSpareServers         5
        MaxRequestWorkers       10
        MaxConnectionsPerChild  1
        """;

    private const string TwoThreadedChildren = """
        StartServers            2
        ServerLimit             4
        ThreadLimit             4
        ThreadsPerChild         4
        MinSpareThreads         1
        MaxSpareThreads         16
        MaxRequestWorkers       16
        MaxConnectionsPerChild  1
        """;

    private const string OneChild = """
        StartServers            1
        ServerLimit             1
        ThreadLimit             8
        ThreadsPerChild         8
        MinSpareThreads         1
        MaxSpareThreads         8
        MaxRequestWorkers       8
        MaxConnectionsPerChild  0
        """;

    /// <summary>
    /// s_client saves the session of a first connection and offers it on a second: both
    /// servers say Initial then Resumed, in the environment and in the log, with the session id
    /// s_client saw (TLS 1.2: the same id both times; TLS 1.3: a new session, so a new id).
    /// </summary>
    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public void SessionIdAndResumedAreWhatApacheSays(string version)
    {
        using var pluma = SessionTree(out string plumaLog);
        using var apache = SessionTree(out string apacheLog);
        using (PlumaServer server = pluma.Start())
        {
            string p = Describe(pluma, version, plumaLog);
            using DifferentialApache reference = DifferentialApache.Start(apache.Tree);
            string a = Describe(apache, version, apacheLog);
            Assert.Equal(a, p);
            Assert.StartsWith("first: Initial, id of 64 lower-case hex digits, log agrees", p);
            Assert.Contains("; second: Resumed, id of 64 lower-case hex digits, log agrees", p);
        }
    }

    /// <summary>
    /// Several children share SSLSessionCache's store, as Apache's children share shmcb: a session
    /// made by one child resumes in every other (each child here serves one connection, so nine
    /// connections meet nine children), and a session of one server does not resume on another.
    /// </summary>
    [Theory]
    [InlineData("prefork", "-tls1_2")]
    [InlineData("prefork", "-tls1_3")]
    [InlineData("event", "-tls1_2")]
    [InlineData("event", "-tls1_3")]
    public void ASessionResumesInEveryChild(string mpm, string version)
    {
        using var tls = new TlsTree(mpm);
        tls.Tree.WriteConf("mods-available/mpm_" + mpm + ".conf", mpm == "prefork" ? ThreePreforkChildren : TwoThreadedChildren);
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        string pidLog = Path.Combine(tls.Tree.LogDir, "pids.log");
        tls.NamedSite("site.test", cert, key, "site\n", $"    CustomLog {pidLog} \"%P %{{SSL_SESSION_RESUMED}}x\"");
        (string otherCert, string otherKey) = tls.Certificate("other", ["other.test"]);
        tls.NamedSite("other.test", otherCert, otherKey, "other\n");
        using var server = tls.Start();
        string session = Path.Combine(tls.Tree.Top, "shared.pem");
        ProcessResult first = tls.SClient([version, "-servername", "site.test", "-sess_out", session], "GET / HTTP/1.0\r\nHost: site.test\r\n\r\n");
        Assert.True(first.ExitCode == 0, first.Combined + tls.Tree.ErrorLog);
        Assert.Contains("\nNew, ", first.StandardOutput);
        for (int i = 0; i < 8; i++)
        {
            ProcessResult again = tls.SClient([version, "-servername", "site.test", "-sess_in", session], "GET /server-status?auto HTTP/1.0\r\nHost: site.test\r\n\r\n");
            Assert.True(again.ExitCode == 0, again.Combined);
            Assert.Contains("\nReused, ", again.StandardOutput);
            Assert.Contains("\nCacheType: SHMCB\n", again.StandardOutput);
        }

        // Each child serves one connection (MaxConnectionsPerChild 1): nine children, and each later one resumed.
        WaitForLine(pidLog, 9);
        string[] lines = File.ReadAllLines(pidLog);
        Assert.True(new HashSet<string>(Array.ConvertAll(lines, l => l.Split(' ')[0])).Count == 9, string.Join(" / ", lines));
        Assert.Equal(8, Array.FindAll(lines, l => l.EndsWith(" Resumed", StringComparison.Ordinal)).Length);

        ProcessResult other = tls.SClient([version, "-servername", "other.test", "-sess_in", session], "GET / HTTP/1.0\r\nHost: other.test\r\n\r\n");
        Assert.True(other.ExitCode == 0, other.Combined);
        Assert.Contains("\nNew, ", other.StandardOutput);
        Assert.Contains("other\n", other.StandardOutput);
    }

    /// <summary>SSLSessionCacheTimeout is the session's life: a session offered after it has passed is refused and a full handshake made.</summary>
    [Fact]
    public void SslSessionCacheTimeoutIsHonoured()
    {
        using var tls = SessionTree(out _, "    SSLSessionCacheTimeout 1");
        using var server = tls.Start();
        string session = Path.Combine(tls.Tree.Top, "short.pem");
        ProcessResult first = tls.SClient(["-tls1_2", "-servername", "site.test", "-sess_out", session], "GET / HTTP/1.0\r\nHost: site.test\r\n\r\n");
        Assert.True(first.ExitCode == 0, first.Combined + tls.Tree.ErrorLog);
        Assert.Contains("\nNew, ", first.StandardOutput);

        // Well past the one second the session may live (a wait for the condition under test).
        Thread.Sleep(2500);
        ProcessResult late = tls.SClient(["-tls1_2", "-servername", "site.test", "-sess_in", session], "GET / HTTP/1.0\r\nHost: site.test\r\n\r\n");
        Assert.True(late.ExitCode == 0, late.Combined);
        Assert.Contains("\nNew, ", late.StandardOutput);

        ProcessResult v13 = tls.SClient(["-tls1_3", "-servername", "site.test"], "GET / HTTP/1.0\r\nHost: site.test\r\n\r\n");
        Assert.Contains("TLS session ticket lifetime hint: 1 (seconds)", v13.StandardOutput);
    }

    /// <summary>A TLS tree with Debian's ssl.conf, one event child, site.test with a CGI under +StdEnvVars and a log of the session variables.</summary>
    private static TlsTree SessionTree(out string log, string extra = "", string mpm = "event")
    {
        var tls = new TlsTree(mpm);
        tls.Tree.WriteConf("mods-available/mpm_" + mpm + ".conf", mpm == "prefork" ? OnePreforkChild : OneChild);
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        string cgiBin = Path.Combine(tls.Tree.Top, "cgi-bin");
        Directory.CreateDirectory(cgiBin);
        string script = Path.Combine(cgiBin, "session.cgi");
        File.WriteAllText(script, "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nprintf 'env=%s|%s|%s\\n' \"$SSL_SESSION_ID\" \"$SSL_SESSION_RESUMED\" \"$SSL_PROTOCOL\"\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        tls.Tree.AppendToMainConfig("LoadModule cgid_module /usr/lib/apache2/modules/mod_cgid.so\nScriptSock " + Path.Combine(tls.Tree.Top, "cgisock"));
        log = Path.Combine(tls.Tree.LogDir, "session.log");
        tls.NamedSite("site.test", cert, key, "x\n", $"""
                CustomLog {log} "{Format}"
                ScriptAlias /cgi-bin/ {cgiBin}/
                <Directory {cgiBin}>
                    Require all granted
                    SSLOptions +StdEnvVars
                </Directory>
            {extra}
            """);
        return tls;
    }

    /// <summary>Two connections, the second offering the first's session; what the server said of each, in words that do not depend on the id's value.</summary>
    private static string Describe(TlsTree tls, string version, string log)
    {
        string session = Path.Combine(tls.Tree.Top, "session-" + version + ".pem");
        File.Delete(session);
        var parts = new List<string>();
        string? firstId = null;
        foreach (string step in (string[])["first", "second"])
        {
            string[] args = step == "first" ? [version, "-servername", "site.test", "-sess_out", session] : [version, "-servername", "site.test", "-sess_in", session];
            ProcessResult r = tls.SClient(args, "GET /cgi-bin/session.cgi HTTP/1.0\r\nHost: site.test\r\n\r\n");
            Assert.True(r.ExitCode == 0, r.Combined + tls.Tree.ErrorLog);
            Match env = Regex.Match(r.StandardOutput, @"\nenv=([^|\n]*)\|([^|\n]*)\|([^|\n]*)\n", RegexOptions.None, TimeSpan.FromSeconds(1));
            Assert.True(env.Success, r.StandardOutput + tls.Tree.ErrorLog);
            string id = env.Groups[1].Value;
            string shape = Regex.IsMatch(id, "^[0-9a-f]{64}$", RegexOptions.None, TimeSpan.FromSeconds(1)) ? "id of 64 lower-case hex digits" : "id '" + id + "'";
            string sameAsFirst = step == "second" ? (id == firstId ? ", the first's id" : ", another id") : "";
            Match client = Regex.Match(r.StandardOutput, @"\n    Session-ID: ([0-9A-F]*)\n", RegexOptions.None, TimeSpan.FromSeconds(1));
            string clientSaw = client.Success && client.Groups[1].Value.Equals(id, StringComparison.OrdinalIgnoreCase) ? ", as s_client saw" : "";
            string line = WaitForLine(log, step == "first" ? 1 : 2);
            string logAgrees = line == (id.Length == 0 ? "-" : id) + "|" + env.Groups[2].Value + "|" + env.Groups[3].Value ? ", log agrees" : ", log says '" + line + "'";
            parts.Add($"{step}: {env.Groups[2].Value}, {shape}{logAgrees}{sameAsFirst}{clientSaw}");
            firstId ??= id;
        }

        return string.Join("; ", parts);
    }

    private static string WaitForLine(string path, int count)
    {
        string[] lines = [];
        for (int i = 0; i < 100; i++)
        {
            lines = File.Exists(path) ? File.ReadAllLines(path) : [];
            if (lines.Length >= count)
            {
                return lines[count - 1];
            }

            Thread.Sleep(100);
        }

        return "(no line " + count + " in " + path + ": " + string.Join(" / ", lines) + ")";
    }
}
