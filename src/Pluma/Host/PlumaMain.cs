using System.IO;
using Pluma.Admin;
using Pluma.CompiledModules;
using Pluma.Config;
using Pluma.Connections.Diagnostics;
using Pluma.Mpm;
using Pluma.Mpm.Common;
using Pluma.Mpm.Event;
using Pluma.Mpm.Prefork;
using Pluma.Mpm.Worker;

namespace Pluma.Host;

/// <summary>
/// The one executable's entry: an admin tool when called by one of their names (argv[0] or
/// the first argument), an MPM child when the parent started it as one, else apache2's own
/// command line (main.c): -v/-V/-l/-L/-h, -t and the dumps, -k, or start the server.
/// </summary>
internal static class PlumaMain
{
    private const string Program = "pluma";

    public static int Run(string[] args)
    {
        string argv0 = Environment.GetCommandLineArgs()[0];
        string invokedAs = Path.GetFileName(argv0);
        if (AdminTools.IsTool(invokedAs))
        {
            AdminTools.TryRun(invokedAs, args, AdminContext.ForConsole(Environment.ProcessPath!, argv0), out int rc);
            return rc;
        }

        if (args.Length > 0 && AdminTools.IsTool(args[0]))
        {
            AdminTools.TryRun(args[0], args[1..], AdminContext.ForConsole(Environment.ProcessPath!, args[0]), out int rc);
            return rc;
        }

        CommandLineOptions? options = CommandLineParser.Parse(args, Program, static () => Console.Error);
        if (options is null)
        {
            return 1;
        }

        if (options.StartupErrorLog is string errorFile)
        {
            // -E: start-up messages go to this file instead of the terminal.
            // The children are started with the same arguments and open it again: O_APPEND, one write per message.
            AppendOnlyFile file;
            try
            {
                file = AppendOnlyFile.Open(errorFile, 0x1B6 /* 0666, APR_OS_DEFAULT */);
            }
            catch (IOException e)
            {
                // log.c, ap_replace_stderr_log.
                Console.Error.WriteLine(e.Message + ": AH00100: " + Program + ": could not open error log file " + errorFile + ".");
                return 1;
            }

            var writer = new StreamWriter(new AppendOnlyStream(file)) { AutoFlush = true };
            Console.SetError(writer);
        }

        if (options.ShowHelp)
        {
            CommandLineParser.Usage(Program, Console.Error);
            return 1;
        }

        if (options.ShowVersion)
        {
            VersionReport.WriteVersion(Console.Out);
            return 0;
        }

        if (options.ListCompiledModules)
        {
            VersionReport.WriteCompiledModules(Console.Out, ModuleCatalog.Registry.Modules);
            return 0;
        }

        if (options.ListDirectives)
        {
            VersionReport.WriteDirectives(Console.Out, ModuleCatalog.Registry.Modules);
            return 0;
        }

        string serverRoot = Path.GetFullPath(options.ServerRoot ?? ServerRootLocator.Default());
        EnvVarsFile.ImportIfNeeded(serverRoot);
        if (MpmChild.IsChildProcess)
        {
            return ChildRole.Run(options, serverRoot);
        }

        ConfigSession session;
        try
        {
            session = ConfigSession.Load(options, serverRoot);
        }
        catch (ConfigException e)
        {
            WriteLoggedBefore(e);
            return ConfigFailed(options, e.Format(Program));
        }
        catch (MpmException e)
        {
            return ConfigFailed(options, "AH00534: " + Program + ": Configuration error: " + e.Message);
        }

        if (options.ShowCompileSettings)
        {
            VersionReport.WriteCompileSettings(Console.Out, session.MpmSettings.VersionLines());
            return 0;
        }

        if (options.ConfigTest)
        {
            return ConfigTest(options, session);
        }

        if (options.Signal == "advise")
        {
            return AdviseCommand.Run(options, serverRoot, session, Console.Out, Console.Error);
        }

        if (options.Signal is string verb)
        {
            int? rc = PidFileSignals.Signal(verb, session.PidFile, Console.Error, out bool mustStart);
            if (rc == -1)
            {
                CommandLineParser.Usage(Program, Console.Error);
                return 1;
            }

            if (!mustStart)
            {
                return rc ?? 0;
            }
        }

        return ServerCommand.Start(options, args, session);
    }

    /// <summary>
    /// The error-log line httpd writes to stderr (no log is open yet) before some configuration
    /// errors, as core's AH00554 before "Could not open configuration file".
    /// </summary>
    internal static void WriteLoggedBefore(ConfigException e)
    {
        if (e.LoggedBefore is string line)
        {
            Console.Error.Write(Connections.Diagnostics.ErrorLogFormat.FormatLine(DateTimeOffset.Now, Connections.Diagnostics.LogLevel.Error, "core", Environment.ProcessId, Environment.ProcessId, line, null));
        }
    }

    private static int ConfigFailed(CommandLineOptions options, string message)
    {
        if (options.ShowCompileSettings)
        {
            // -V still prints its block, with no MPM, before the error (observed on Debian).
            VersionReport.WriteCompileSettings(Console.Out, []);
        }

        Console.Error.WriteLine(message);
        return 1;
    }

    private static int ConfigTest(CommandLineOptions options, ConfigSession session)
    {
        StartupMessages.Write(Console.Error, session, Program, !options.SkipDocumentRootCheck, options.StartupLogLevel);
        if (options.IsDefined("DUMP_VHOSTS"))
        {
            ConfigDump.VirtualHosts(Console.Out, session.Config, Modules.Hosting.ServerRuntimeBuilder.FallbackServerName);
        }

        if (options.IsDefined("DUMP_RUN_CFG"))
        {
            ConfigDump.RunConfig(Console.Out, session);
        }

        if (options.IsDefined("DUMP_MODULES"))
        {
            ConfigDump.Modules(Console.Out, session.Config);
        }

        if (options.IsDefined("DUMP_INCLUDES"))
        {
            ConfigDump.Includes(Console.Out, session.Config);
        }

        if (!options.IsDefined("DUMP_VHOSTS") && !options.IsDefined("DUMP_RUN_CFG") && !options.IsDefined("DUMP_MODULES") && !options.IsDefined("DUMP_INCLUDES"))
        {
            Console.Error.WriteLine("Syntax OK");
        }

        return 0;
    }
}
