using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography.X509Certificates;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Tls;

/// <summary>
/// Issue 12's admin path on Debian's own tree (copied to a private folder, as DebianTreeTests
/// does): <c>a2enmod ssl</c>, <c>a2ensite default-ssl</c>, start, browse https. default-ssl.conf
/// and ports.conf stay as Debian ships them (<c>Listen 443</c>, <c>&lt;VirtualHost *:443&gt;</c>,
/// the ssl-cert package's snakeoil pair), so the server runs in a network namespace of its own
/// (unshare -n, loopback only): port 443 there is nobody else's.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DebianDefaultSslTests : IDisposable
{
    private const string Snakeoil = "/etc/ssl/certs/ssl-cert-snakeoil.pem";
    private const string SnakeoilKey = "/etc/ssl/private/ssl-cert-snakeoil.key";

    private readonly TempDirectory _dir = new("pluma-debian-ssl-");

    [SnakeoilFact]
    public void A2enmodSslAndA2ensiteDefaultSslServeHttpsWithTheSnakeoilCertificate()
    {
        string tree = _dir.Combine("apache2");
        DebianApacheTree.CopyTo(tree);
        foreach (string d in new[] { "run", "log", "lock", "state" })
        {
            Directory.CreateDirectory(_dir.Combine(d));
        }

        var env = new Dictionary<string, string?>
        {
            ["APACHE_CONFDIR"] = tree,
            ["PLUMA_STATE_DIR"] = _dir.Combine("state"),
            ["APACHE_RUN_USER"] = "www-data",
            ["APACHE_RUN_GROUP"] = "www-data",
            ["APACHE_PID_FILE"] = _dir.Combine("run", "apache2.pid"),
            ["APACHE_RUN_DIR"] = _dir.Combine("run"),
            ["APACHE_LOCK_DIR"] = _dir.Combine("lock"),
            ["APACHE_LOG_DIR"] = _dir.Combine("log"),
            ["LANG"] = "C",
        };
        string bin = Path.Combine(RepositoryPaths.Root, "bin");
        ProcessResult enmod = ProcessRunner.Run(Path.Combine(bin, "a2enmod"), ["ssl"], env);
        Assert.True(enmod.ExitCode == 0, enmod.Combined);
        ProcessResult ensite = ProcessRunner.Run(Path.Combine(bin, "a2ensite"), ["default-ssl"], env);
        Assert.True(ensite.ExitCode == 0, ensite.Combined);
        Assert.True(File.Exists(Path.Combine(tree, "sites-enabled", "default-ssl.conf")));

        // The name the snakeoil certificate was made for (make-ssl-cert uses the host's name).
        using X509Certificate2 snakeoil = X509CertificateLoader.LoadCertificateFromFile(Snakeoil);
        string name = snakeoil.GetNameInfo(X509NameType.DnsName, forIssuer: false);

        // In the namespace: bring up lo, start Pluma, wait for port 80, fetch https://NAME/ from
        // 127.0.0.1:443 checking the certificate, stop Pluma by its pid.
        string script = """
            ip link set lo up || exit 90
            "$0" -d "$1" -D FOREGROUND & pid=$!
            i=0
            until curl -s -o /dev/null --max-time 1 http://127.0.0.1:80/; do
                i=$((i+1)); [ $i -gt 150 ] && break; sleep 0.1
            done
            curl -sS --max-time 10 --cacert "$2" --resolve "$3:443:127.0.0.1" -w '|%{http_code}|%{ssl_verify_result}' "https://$3/"
            rc=$?
            kill $pid; wait $pid
            exit $rc
            """;
        ProcessResult r = ProcessRunner.Run("unshare", ["-n", "sh", "-c", script, RepositoryPaths.PlumaBinary, tree, Snakeoil, name], env, timeoutMs: 60_000);
        string log = File.Exists(_dir.Combine("log", "error.log")) ? File.ReadAllText(_dir.Combine("log", "error.log")) : "";
        Assert.True(r.ExitCode == 0, r.Combined + log);
        Assert.EndsWith("|200|0", r.StandardOutput);
        Assert.Contains("Apache2 Debian Default Page", r.StandardOutput);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Runs only where the ssl-cert package's snakeoil pair exists (make-ssl-cert generate-default-snakeoil).</summary>
    private sealed class SnakeoilFactAttribute : FactAttribute
    {
        public SnakeoilFactAttribute()
        {
            if (!File.Exists(Snakeoil) || !File.Exists(SnakeoilKey))
            {
                Skip = "needs the ssl-cert package's snakeoil pair (" + Snakeoil + ", " + SnakeoilKey + "): apt-get install ssl-cert";
            }
        }
    }
}
