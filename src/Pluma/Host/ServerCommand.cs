using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Core;
using Pluma.Modules.Hosting;
using Pluma.Mpm.Common;
using Pluma.Mpm.Event;
using Pluma.Mpm.Prefork;
using Pluma.Mpm.Worker;
using Pluma.Transport;

namespace Pluma.Host;

/// <summary>
/// Starting the server: the control process (parent) binds the listeners, opens the error log,
/// writes the pid file and hands over to the MPM. Without -D FOREGROUND (or -X) it detaches first,
/// as apache2 does: a daemon copy is started in its own session, its start-up messages are relayed
/// to the terminal, and the command returns once it is serving (or with its failure).
/// </summary>
internal static class ServerCommand
{
    private const string DaemonVariable = "PLUMA_DAEMON";

    // What a detached daemon writes on stderr once it serves (never shown to the user).
    private const string ReadyLine = "\u0001pluma: serving";

    public static int Start(CommandLineOptions options, IReadOnlyList<string> args, ConfigSession session)
    {
        bool isDaemon = Environment.GetEnvironmentVariable(DaemonVariable) == "1";
        if (!options.Foreground && !isDaemon)
        {
            return LaunchDaemon(args);
        }

        if (isDaemon)
        {
            Environment.SetEnvironmentVariable(DaemonVariable, null);
            Native.NewSession();
        }

        return RunParent(options, session, isDaemon);
    }

    private static int LaunchDaemon(IReadOnlyList<string> args)
    {
        (string exe, IReadOnlyList<string> prefix) = SelfProcess.Command();
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in prefix)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment[DaemonVariable] = "1";
        using Process daemon = Process.Start(psi)!;
        daemon.StandardInput.Close();
        // Relay what the daemon says while it starts, until it reports that it serves (or exits).
        // Its pipes may stay open afterwards (the runtime keeps duplicates of the standard
        // descriptors), so the end of start-up is a line of its own, not end-of-file.
        _ = Task.Run(() => Relay(daemon.StandardOutput, Console.Out));
        bool ready = Relay(daemon.StandardError, Console.Error);
        if (ready)
        {
            return 0;
        }

        daemon.WaitForExit();
        return daemon.ExitCode;
    }

    /// <summary>Copies lines until end-of-file or the ready line; true when the daemon said it serves.</summary>
    private static bool Relay(StreamReader from, TextWriter to)
    {
        string? line;
        while ((line = from.ReadLine()) is not null)
        {
            if (line == ReadyLine)
            {
                to.Flush();
                return true;
            }

            to.WriteLine(line);
        }

        to.Flush();
        return false;
    }

    private static int RunParent(CommandLineOptions options, ConfigSession session, bool isDaemon)
    {
        TextWriter err = Console.Error;
        string logDir = Path.GetDirectoryName(session.ErrorLogPath)!;
        if (!Directory.Exists(logDir))
        {
            err.WriteLine("(2)No such file or directory: AH02291: Cannot access directory '" + logDir + "/' for main error log");
            err.WriteLine("AH00014: Configuration check failed");
            return 1;
        }

        ListenerSet listeners;
        try
        {
            // ListenCoresBucketsRatio: SO_REUSEPORT on the sockets, so that the MPM can bind a
            // copy of them for every further listener bucket.
            bool reusePort = session.MpmSettings.ListenCoresBucketsRatio > 0 && ListenerBuckets.ReusePortSupported && !options.OneProcess;
            listeners = ListenerSet.Bind(EndPoints(session.MainCore.Main), session.MpmSettings.ListenBacklog, reusePort, DeferAccept(session.MainCore.Main));
        }
        catch (ListenerBindException e)
        {
            foreach (string line in e.Lines)
            {
                err.WriteLine(line);
            }

            err.WriteLine("AH00015: Unable to open logs");
            return 1;
        }

        foreach (string line in listeners.Warnings)
        {
            err.WriteLine(line);
        }

        StartupMessages.Write(err, session, "pluma", !options.SkipDocumentRootCheck, options.StartupLogLevel);
        ListenerBucketMessages.Write(err, options.OneProcess ? 0 : session.MpmSettings.ListenCoresBucketsRatio, options.StartupLogLevel);
        string serverRoot = session.Config.ServerRoot;
        var logs = new ErrorLogSet(serverRoot);
        Pluma.Connections.IConnectionHandler oneProcessHandler;
        MpmParent? parent = null;
        try
        {
            // Opens the access logs and reads mime.types as Apache's parent does before forking:
            // a log that cannot be opened stops the start here, on the terminal.
            oneProcessHandler = RuntimeFactory.Build(session, logs, () => parent?.Scoreboard?.Snapshot()).Handler;
        }
        catch (IOException e)
        {
            err.WriteLine(e.Message);
            err.WriteLine("AH00015: Unable to open logs");
            listeners.Dispose();
            return 1;
        }

        CoreServerConfig core = session.MainCore;
        using var mainLog = FileErrorLog.Open(session.ErrorLogPath, ErrorLogSet.LevelFunction(core.LogLevel, core.ModuleLogLevels));
        PostConfigNotices(session, mainLog);
        Http2Advisory(session, mainLog);
        if (isDaemon)
        {
            // Start-up went well: tell the launcher, then leave the terminal for good.
            err.WriteLine(ReadyLine);
            err.Flush();
            Console.SetOut(TextWriter.Null);
            Console.SetError(TextWriter.Null);
            SelfProcess.DetachStandardStreams(session.ErrorLogPath);
        }

        LimitChildGen0Budget(session.MpmSettings.Definition);
        if (!options.OneProcess)
        {
            ConfigSnapshotHandoff.Publish(session.Snapshot!);
            MimeTypesHandoff.Publish(session.Config);
        }

        (string exe, IReadOnlyList<string> prefix) = SelfProcess.Command();
        string[] childArgs = [.. prefix, .. Environment.GetCommandLineArgs()[1..]];
        parent = new MpmParent(new MpmParentOptions
        {
            Settings = session.MpmSettings,
            Listeners = listeners,
            ErrorLog = mainLog,
            ScoreboardPath = Path.Combine(session.RuntimeDir, "pluma_runtime_status." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            PidFile = session.PidFile,
            ChildCommand = (_, _) => new ChildCommand(exe, childArgs),
            Reload = () => Reload(options, serverRoot, session, parent!, mainLog),
            ServerDescription = RuntimeFactory.Info(session).Banner,
            ServerBuilt = ProductInfo.Built,
            CommandLine = SelfProcess.CommandLine(),
            OneProcess = options.OneProcess,
            OneProcessHandler = () => oneProcessHandler,
        });
        using (parent)
        using (logs)
        using (listeners)
        {
            return parent.Run();
        }
    }

    /// <summary>The notices modules' post_config hooks log in the parent each time the configuration is read.</summary>
    private static void PostConfigNotices(ConfigSession session, IErrorLog log)
    {
        foreach (string line in Modules.RemoteIp.ProxyProtocolNotices.Of(session.Config))
        {
            log.Write(LogLevel.Notice, "remoteip", line);
        }
    }

    /// <summary>mod_http2 under prefork: Apache's post_config advisory (AH10034), once per start, in the error log.</summary>
    private static void Http2Advisory(ConfigSession session, FileErrorLog log)
    {
        Pluma.Config.ModuleDescriptor? http2 = Pluma.CompiledModules.ModuleCatalog.Registry.FindByName(Modules.Http2.Http2Module.Name);
        bool loaded = http2 is not null && session.Config.IsLoaded(http2);
        if (Modules.Http2.Http2Module.PreforkAdvisory(loaded, session.MpmName) is string line)
        {
            log.Write(Pluma.Connections.Diagnostics.LogLevel.Warn, "http2", line);
        }
    }

    /// <summary>
    /// Children inherit a small GC allocation budget unless the administrator set one: the
    /// runtime's default gen0 budget (sized from the CPU cache, 16 MiB and more here) is what a
    /// child's resident memory grows to under load. Each MPM answers its budget and why
    /// (<see cref="MpmDefinition.ChildGen0BudgetBytes"/>). The value is hexadecimal, without 0x,
    /// as the NativeAOT runtime reads it (with 0x it is silently ignored).
    /// </summary>
    private static void LimitChildGen0Budget(MpmDefinition mpm)
    {
        const string Variable = "DOTNET_GCgen0size";
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, mpm.ChildGen0BudgetBytes.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static MpmReloadResult Reload(CommandLineOptions options, string serverRoot, ConfigSession running, MpmParent parent, IErrorLog log)
    {
        try
        {
            // Another MPM is fine: the parent brings the new generation up with it (MpmParent.ChangeMpm).
            var next = ConfigSession.LoadForRestart(options, serverRoot);
            // The new generation's children read what this reading read, and nothing later.
            ConfigSnapshotHandoff.Publish(next.Snapshot!);
            MimeTypesHandoff.Publish(next.Config);
            PostConfigNotices(next, log);
            return MpmReloadResult.Ok(next.MpmSettings);
        }
        catch (Pluma.Config.ConfigException e)
        {
            return MpmReloadResult.Failed(e.Format("pluma"));
        }
        catch (MpmException e)
        {
            return MpmReloadResult.Failed("AH00534: pluma: Configuration error: " + e.Message);
        }
    }

    /// <summary>The Listen addresses: a bare port listens on every address, IPv6 and IPv4.</summary>
    private static List<IPEndPoint> EndPoints(MainServerSettings main)
    {
        var list = new List<IPEndPoint>();
        foreach (ListenDirective l in main.Listen)
        {
            IPAddress address = l.Address == "*" || l.Address.Length == 0
                ? (Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any)
                : IPAddress.TryParse(l.Address, out IPAddress? ip) ? ip
                : Dns.GetHostAddresses(l.Address)[0];
            list.Add(new IPEndPoint(address, l.Port));
        }

        return list;
    }

    /// <summary>Per Listen line, in <see cref="EndPoints"/>' order: whether its protocol's AcceptFilter defers accept(2).</summary>
    private static List<bool> DeferAccept(MainServerSettings main)
    {
        var list = new List<bool>();
        foreach (ListenDirective l in main.Listen)
        {
            list.Add(main.AcceptFilters.DefersAccept(l));
        }

        return list;
    }
}
