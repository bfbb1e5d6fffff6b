using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using Pluma.Connections.Diagnostics;
using Pluma.Mpm;
using Pluma.Mpm.Common;
using Pluma.Mpm.Event;
using Pluma.Mpm.Prefork;
using Pluma.Mpm.Worker;
using Pluma.Mpm.TestHost;
using Pluma.Transport;

// Usage: Pluma.Mpm.TestHost --mpm event|worker|prefork --dir DIR [--listen 127.0.0.1:0]
//        [--set Directive=Value]... [--loglevel debug] [-X] [--child-sick] [--child-delay MS]
//        (any "--option value" also as "--option=value")
// The parent writes DIR/port once listening; errors go to DIR/error.log. A file DIR/reload.set
// with Directive=Value lines is applied on every restart.
string? mpm = null, dir = null, listen = "127.0.0.1:0", level = "info";
var sets = new List<string>();
bool oneProcess = false;
bool childSick = false;
int childDelayMs = 0;
// "--option=value" is "--option value" (MpmTestServer passes each option as one argument).
args = [.. args.SelectMany(a => a.StartsWith("--", StringComparison.Ordinal) && a.IndexOf('=', StringComparison.Ordinal) is > 2 and int eq ? new[] { a[..eq], a[(eq + 1)..] } : [a])];
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--mpm": mpm = args[++i]; break;
        case "--dir": dir = args[++i]; break;
        case "--listen": listen = args[++i]; break;
        case "--set": sets.Add(args[++i]); break;
        case "--loglevel": level = args[++i]; break;
        case "-X": oneProcess = true; break;
        case "--child-sick": childSick = true; break;
        case "--child-delay": childDelayMs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine("unknown argument " + args[i]); return 2;
    }
}

if (mpm is null || dir is null)
{
    Console.Error.WriteLine("usage: --mpm NAME --dir DIR");
    return 2;
}

LogLevel logLevel = ErrorLogFormat.TryParseLevel(level, out LogLevel parsed) ? parsed : LogLevel.Info;
using var log = FileErrorLog.Open(Path.Combine(dir, "error.log"), _ => logLevel);
if (MpmChild.IsChildProcess)
{
    // --child-sick: every child fails to start as a child short of resources does (APEXIT_CHILDSICK).
    // --child-delay: every child takes that long to get ready, as on a machine too busy to start it.
    Thread.Sleep(childDelayMs);
    return childSick ? 7 : MpmChild.Run(new TinyHttpHandler(), log);
}

MpmSettings Build(IEnumerable<string> directives)
{
    MpmSettings s = mpm switch
    {
        "prefork" => PreforkSettings.Debian,
        "worker" => WorkerSettings.Debian,
        _ => EventSettings.Debian,
    };
    foreach (string d in directives)
    {
        string[] kv = d.Split('=', 2);
        int v = int.Parse(kv[1], CultureInfo.InvariantCulture);
        s = kv[0] switch
        {
            "StartServers" => s with { StartServers = v },
            "ServerLimit" => s with { ServerLimit = v },
            "MaxRequestWorkers" => s with { MaxRequestWorkers = v },
            "MaxConnectionsPerChild" => s with { MaxConnectionsPerChild = v },
            "GracefulShutdownTimeout" => s with { GracefulShutdownTimeout = v },
            "MinSpareServers" => ((PreforkSettings)s) with { MinSpareServers = v },
            "MaxSpareServers" => ((PreforkSettings)s) with { MaxSpareServers = v },
            "ThreadsPerChild" => ((ThreadedMpmSettings)s) with { ThreadsPerChild = v },
            "ThreadLimit" => ((ThreadedMpmSettings)s) with { ThreadLimit = v },
            "MinSpareThreads" => ((ThreadedMpmSettings)s) with { MinSpareThreads = v },
            "MaxSpareThreads" => ((ThreadedMpmSettings)s) with { MaxSpareThreads = v },
            _ => throw new ArgumentException("unknown directive " + kv[0]),
        };
    }

    return s;
}

MpmConfigCheck check = Build(sets).CheckConfig(startup: true);
foreach (string w in check.Warnings)
{
    Console.Error.WriteLine(w);
}

ListenerSet listeners;
try
{
    listeners = ListenerSet.Bind([IPEndPoint.Parse(listen)], check.Settings.ListenBacklog);
}
catch (ListenerBindException e)
{
    foreach (string line in e.Lines)
    {
        Console.Error.WriteLine(line);
    }

    return 1;
}

File.WriteAllText(Path.Combine(dir, "port.tmp"), listeners.EndPoints[0].Port.ToString(CultureInfo.InvariantCulture));
File.Move(Path.Combine(dir, "port.tmp"), Path.Combine(dir, "port"), overwrite: true);
string self = Environment.GetCommandLineArgs()[0];
string host = Environment.ProcessPath!;
using var parent = new MpmParent(new MpmParentOptions
{
    Settings = check.Settings,
    Listeners = listeners,
    ErrorLog = log,
    ScoreboardPath = Path.Combine(dir, "scoreboard"),
    PidFile = Path.Combine(dir, "pluma.pid"),
    ChildCommand = (slot, generation) => self.EndsWith(".dll", StringComparison.Ordinal)
        ? new ChildCommand(host, ["exec", self, .. args])
        : new ChildCommand(host, args),
    Reload = () =>
    {
        string file = Path.Combine(dir, "reload.set");
        var all = new List<string>(sets);
        if (File.Exists(file))
        {
            foreach (string line in File.ReadAllLines(file))
            {
                if (line.StartsWith("MPM=", StringComparison.Ordinal))
                {
                    mpm = line[4..];
                }
                else if (line.Length > 0)
                {
                    all.Add(line);
                }
            }
        }

        return MpmReloadResult.Ok(Build(all));
    },
    OneProcess = oneProcess,
    OneProcessHandler = () => new TinyHttpHandler(),
});
return parent.Run();
