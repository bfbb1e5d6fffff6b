using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Pluma.Admin;
using Pluma.Mpm.Advice;

namespace Pluma.Host;

/// <summary>
/// <c>pluma -k advise [--apply] [--mpm NAME] [--ram-share PERCENT]</c> (and <c>apachectl advise</c>):
/// measures the running server (<see cref="AdviseMeasurements"/>), asks the pure
/// <see cref="MpmAdvisor"/>, prints the advice for each MPM with its arithmetic, and with
/// <c>--apply</c> writes one MPM's block to the tree's <c>mods-available/mpm_NAME.conf</c>, kept
/// only if <c>pluma -t</c> accepts the changed tree.
/// </summary>
internal static class AdviseCommand
{
    private static readonly string[] s_mpms = ["prefork", "worker", "event"];

    public static int Run(CommandLineOptions options, string serverRoot, ConfigSession session, TextWriter output, TextWriter error)
    {
        if (!TryParse(options.AdviseArguments, error, out bool apply, out string? mpm, out double share))
        {
            return 1;
        }

        int? pid = PidFileSignals.RunningPid(session.PidFile, out string notRunning);
        if (pid is null)
        {
            error.WriteLine(notRunning);
            return 1;
        }

        string boardPath = Path.Combine(session.RuntimeDir, "pluma_runtime_status." + pid.Value.ToString(CultureInfo.InvariantCulture));
        Scoreboard.Scoreboard board;
        try
        {
            board = Scoreboard.Scoreboard.Open(boardPath);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            error.WriteLine($"PL00420: pluma -k advise: cannot read the scoreboard of pid {pid.Value}: {e.Message}");
            return 1;
        }

        AdviceInputs inputs;
        IReadOnlyList<(int Pid, long Pss)> children;
        using (board)
        {
            inputs = AdviseMeasurements.Measure(board, pid.Value, share, out children);
            MpmAdvice advice = MpmAdvisor.Advise(inputs);
            AdviseReport.Write(output, session.Config.ServerRoot, pid.Value, board, inputs, children, advice);
            if (!apply)
            {
                output.WriteLine();
                output.WriteLine($"To write the {session.MpmName} block to mods-available/mpm_{session.MpmName}.conf: apachectl advise --apply (another MPM's: --mpm NAME)");
                return 0;
            }

            return Apply(options, serverRoot, session, inputs, advice, mpm ?? session.MpmName, output, error);
        }
    }

    private static bool TryParse(List<string> args, TextWriter error, out bool apply, out string? mpm, out double share)
    {
        apply = false;
        mpm = null;
        share = MpmAdvisor.DefaultRamShare;
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            string? value = i + 1 < args.Count ? args[i + 1] : null;
            if (a == "--apply")
            {
                apply = true;
            }
            else if (a == "--mpm" && value is not null && Array.IndexOf(s_mpms, value) >= 0)
            {
                mpm = value;
                i++;
            }
            else if (a == "--ram-share" && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int pct) && pct is >= 1 and <= 100)
            {
                share = pct / 100.0;
                i++;
            }
            else
            {
                error.WriteLine($"PL00421: pluma -k advise: cannot use '{a}'{(value is null ? string.Empty : " " + value)}");
                error.WriteLine("Usage: pluma -k advise [--apply] [--mpm prefork|worker|event] [--ram-share PERCENT]");
                return false;
            }
        }

        return true;
    }

    private static int Apply(CommandLineOptions options, string serverRoot, ConfigSession session, AdviceInputs inputs, MpmAdvice advice, string mpm, TextWriter output, TextWriter error)
    {
        MpmRecommendation r = advice.For(mpm);
        string file = Path.Combine(session.Config.ServerRoot, "mods-available", $"mpm_{mpm}.conf");
        string? before = File.Exists(file) ? File.ReadAllText(file) : null;
        string when = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        List<string> notes =
        [
            $"{when}: {inputs.OnlineCpus} CPUs, MemTotal {MpmAdvisor.Mib(inputs.MemTotalBytes)}; {inputs.ChildrenMeasured} {inputs.MeasuredMpm} children of PSS up to {MpmAdvisor.Mib(inputs.ChildPssMaxBytes)}",
            $"peak {inputs.PeakBusyWorkers} busy workers, {inputs.PeakConnections} connections, keep-alive share {(inputs.KeepAliveShare * 100).ToString("0", CultureInfo.InvariantCulture) + "%"} over {inputs.LoadSamples} s",
            r.Arithmetic[^3],
            $"the MPM that fits this load: {advice.Best}",
        ];
        File.WriteAllText(file, MpmConfFile.Rewrite(before, mpm, r.Directives, notes));

        (int rc, string text) = ConfigTest(options, serverRoot);
        if (rc != 0)
        {
            Restore(file, before);
            error.Write(text);
            error.WriteLine($"PL00423: pluma -k advise: pluma -t refused the changed tree, so {file} is restored as it was");
            return 1;
        }

        output.WriteLine();
        output.WriteLine($"PL00422: pluma -k advise: wrote the mpm_{mpm} block to {file}; pluma -t accepts the tree");
        if (mpm != session.MpmName)
        {
            output.WriteLine($"PL00425: pluma -k advise: mpm_{mpm} is not the enabled MPM (mpm_{session.MpmName}), so -t did not read this file; a2dismod mpm_{session.MpmName} && a2enmod mpm_{mpm} to use it");
        }
        else if (r.ServerLimit != session.MpmSettings.ServerLimit || (r.ThreadLimit > 0 && r.ThreadLimit != session.MpmSettings.ThreadSlots))
        {
            output.WriteLine($"PL00424: pluma -k advise: ServerLimit {r.ServerLimit} / ThreadLimit {r.ThreadLimit} differ from the running {session.MpmSettings.ServerLimit} / {session.MpmSettings.ThreadSlots}: a restart keeps the old limits, apachectl stop and start applies them");
        }
        else
        {
            output.WriteLine("Apply it with: apachectl graceful");
        }

        return 0;
    }

    private static void Restore(string file, string? before)
    {
        if (before is null)
        {
            File.Delete(file);
        }
        else
        {
            File.WriteAllText(file, before);
        }
    }

    /// <summary>Runs this program's <c>-t</c> on the same tree, options and defines; its exit code and output.</summary>
    private static (int ExitCode, string Output) ConfigTest(CommandLineOptions options, string serverRoot)
    {
        (string exe, IReadOnlyList<string> prefix) = SelfProcess.Command();
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in prefix)
        {
            psi.ArgumentList.Add(a);
        }

        psi.ArgumentList.Add("-d");
        psi.ArgumentList.Add(serverRoot);
        if (options.ConfigFile is string f)
        {
            psi.ArgumentList.Add("-f");
            psi.ArgumentList.Add(f);
        }

        foreach ((string flag, List<string> values) in new[] { ("-D", options.Defines), ("-C", options.PreDirectives), ("-c", options.PostDirectives) })
        {
            foreach (string v in values)
            {
                psi.ArgumentList.Add(flag);
                psi.ArgumentList.Add(v);
            }
        }

        psi.ArgumentList.Add("-t");
        using Process p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr);
    }
}
