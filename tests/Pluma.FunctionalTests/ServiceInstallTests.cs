using System.Collections.Generic;
using System.IO;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// The issue's promise, end to end: <c>make install</c>'s script into a temporary root, made to
/// appear at the real paths inside a private mount namespace, driven with Debian's real
/// <c>service pluma start|status|reload|restart|stop|status</c> (no systemd as PID 1, so
/// service runs the LSB init script). Root only; see <see cref="ServiceInstallRun"/>.
/// </summary>
public sealed class ServiceInstallTests(ServiceInstallRun run) : IClassFixture<ServiceInstallRun>
{
    [Fact]
    public void ServiceCommandStartsReloadsRestartsAndStopsTheInstalledServer()
    {
        RequireRun();

        ExpectStep("start", 0, "Starting Pluma web server: pluma");
        ExpectStep("status", 0, "pluma is running.");
        int first = ParentPid("start");

        // reload is a graceful restart: the same parent, a new generation.
        ExpectStep("reload", 0, "Reloading Pluma web server: pluma.");
        Assert.True(ParentPid("reload") == first, "reload replaced the parent:\n" + run.Transcript);
        Assert.True(run.ErrorLog.Contains("AH00493: SIGUSR1 received.  Doing graceful restart", StringComparison.Ordinal),
            "no graceful restart in the error log after reload:\n" + run.Transcript);

        // restart is stop then start, as Debian's apache2 script does (an MPM switch takes effect).
        ExpectStep("restart", 0, "Restarting Pluma web server: pluma");
        Assert.True(ParentPid("restart") != first, "restart kept the parent:\n" + run.Transcript);
        Assert.True(run.ErrorLog.Contains("AH00491: caught SIGTERM, shutting down", StringComparison.Ordinal),
            "restart did not stop the first parent:\n" + run.Transcript);

        ExpectStep("stop", 0, "Stopping Pluma web server: pluma.");
        Assert.True(run.Result("stop.parent") == "none", "the parent still runs after stop:\n" + run.Transcript);
        ExpectStep("stopped", 3, "pluma is not running ... failed!");
        Assert.True(run.Result("done") == "yes", "the script did not reach its end:\n" + run.Transcript);
        Assert.True(run.RealSystemChanges.Length == 0, "the real system changed:\n" + run.RealSystemChanges);
    }

    [Fact]
    public void InstalledServerAnswersItsDefaultPageOnLoopbackAfterStartReloadAndRestart()
    {
        RequireRun();

        foreach (string step in (string[])["start", "reload", "restart"])
        {
            Assert.True(run.Result(step + ".get") == "200",
                $"GET http://127.0.0.1:{run.Port}/ after {step} answered {run.Result(step + ".get")} (000: no answer):\n{run.Transcript}");
            Assert.True(run.Result(step + ".title") == "<title>Pluma: It works</title>",
                $"after {step} the page was not the installed /var/www/html/index.html:\n{run.Transcript}");
        }
    }

    [Fact]
    public void InstalledServerChildrenRunAsWwwData()
    {
        RequireRun();

        // Started as root, the parent stays root and its children switch to User/Group, which the
        // installed envvars sets to www-data (APACHE_RUN_USER, APACHE_RUN_GROUP).
        string[] ids = (run.Result("www-data") ?? "?/?").Split('/');
        string uid = $"uid={ids[0]}/{ids[0]}/{ids[0]}/{ids[0]}";
        string gid = $"gid={ids[1]}/{ids[1]}/{ids[1]}/{ids[1]}";
        foreach (string step in (string[])["start", "restart"])
        {
            IReadOnlyList<string> children = run.Results(step + ".child");
            Assert.True(children.Count > 0, $"no live children of the parent after {step} (see the error log for how they died):\n{run.Transcript}");
            foreach (string child in children)
            {
                // "PID uid=REAL/EFFECTIVE/SAVED/FS gid=...": all four must have changed.
                Assert.True(child.EndsWith($" {uid} {gid}", StringComparison.Ordinal),
                    $"after {step} child {child} does not run as www-data ({uid} {gid}):\n{run.Transcript}");
            }
        }

        // A child that dies right after switching (AH00052) would pass the check above in passing.
        Assert.True(!run.ErrorLog.Contains("AH00052", StringComparison.Ordinal),
            "children died after switching to www-data:\n" + run.Transcript);
    }

    [Fact]
    public void A2enmodSslA2ensiteDefaultSslAndRestartServeHttpsWithTheSnakeoilPair()
    {
        RequireRun();

        // Issue 12's admin path on the installed tree: the ssl-cert package's snakeoil pair,
        // a2enmod ssl, a2ensite default-ssl, service pluma restart, then curl checks the
        // certificate against the snakeoil file itself (its name pinned to loopback).
        ExpectStep("snakeoil", 0, "");
        ExpectStep("a2enmod", 0, "Enabling module ssl.");
        ExpectStep("a2ensite", 0, "Enabling site default-ssl.");
        ExpectStep("sslrestart", 0, "Restarting Pluma web server: pluma");
        Assert.True(run.Result("sslrestart.parent") is { } p && p != "none" && p != run.Result("restart.parent"),
            "service pluma restart did not start a new parent:\n" + run.Transcript);
        Assert.True(run.Result("https.get") == "200 0 HTTPS",
            $"curl --cacert snakeoil https://{run.Result("snakeoil.name")}:{run.SslPort}/ answered '{run.Result("https.get")}' (code, verify result, scheme; 000: no answer):\n{run.Transcript}");
        Assert.True(run.Result("https.title") == "<title>Pluma: It works</title>", "https did not serve the installed /var/www/html/index.html:\n" + run.Transcript);
        Assert.True(run.Result("sslrestart.get") == "200", "the plain site stopped answering once default-ssl was enabled:\n" + run.Transcript);

        // The key stays as ssl-cert made it, root:ssl-cert 0640: the parent reads it as root and
        // the children, which run as www-data, cannot.
        Assert.True(run.Result("snakeoil.key") == "640:root:ssl-cert", "the snakeoil key's mode and owners changed: " + run.Result("snakeoil.key"));
        Assert.True(run.Result("snakeoil.www-data-reads-key") is { } rc && rc != "0", "www-data can read the private key:\n" + run.Transcript);
        foreach (string child in run.Results("sslrestart.child"))
        {
            Assert.DoesNotContain("uid=0/", child, StringComparison.Ordinal);
        }

        Assert.True(run.Results("sslrestart.child").Count > 0, "no live children after the restart with ssl:\n" + run.Transcript);

        // default-ssl.conf is served as install.sh installed it: the repository's file (which is
        // Debian's) with only its port made the loopback one this test listens on.
        string installed = File.ReadAllText(Path.Combine(run.Stage, "etc", "pluma", "sites-available", "default-ssl.conf"));
        string shipped = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "conf", "sites-available", "default-ssl.conf"));
        Assert.Equal(shipped.Replace("<VirtualHost *:443>", $"<VirtualHost *:{run.SslPort}>", StringComparison.Ordinal), installed);
    }

    private void RequireRun()
    {
        if (run.Problem is not null)
        {
            Assert.Fail(run.Problem);
        }
    }

    // A step's rc, and a line of its output (the init script's message).
    private void ExpectStep(string step, int rc, string text)
    {
        Assert.True(run.Result(step + ".rc") == rc.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"service pluma {step} exited {run.Result(step + ".rc") ?? "(not run)"}, not {rc}:\n{run.Transcript}");
        int at = run.Output.IndexOf($"=== {step}: ", StringComparison.Ordinal);
        int end = run.Output.IndexOf($"RESULT {step}.rc=", StringComparison.Ordinal);
        Assert.True(at >= 0 && end > at && run.Output[at..end].Contains(text, StringComparison.Ordinal),
            $"service pluma {step} did not say \"{text}\":\n{run.Transcript}");
    }

    private int ParentPid(string step)
    {
        string? value = run.Result(step + ".parent");
        Assert.True(int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid),
            $"no running parent in the pid file after {step} ({value}):\n{run.Transcript}");
        return pid;
    }
}
