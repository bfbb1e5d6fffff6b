using System.Collections.Generic;
using System.IO;
using Pluma.Config;
using Pluma.Modules;
using Pluma.Modules.Core;
using Pluma.Mpm.Common;
using Pluma.Mpm.Event;
using Pluma.Mpm.Prefork;
using Pluma.Mpm.Worker;

namespace Pluma.Host;

/// <summary>
/// One reading of the configuration, as main.c does it before anything runs: the loaded tree,
/// the one MPM it loads with its settings after Apache's clamps, and the start-up warnings.
/// </summary>
internal sealed class ConfigSession
{
    private ConfigSession(LoadedConfig config, ModuleDescriptor mpm, MpmSettings settings, IReadOnlyList<string> mpmWarnings)
    {
        Config = config;
        MpmModule = mpm;
        MpmSettings = settings;
        MpmWarnings = mpmWarnings;
    }

    public LoadedConfig Config { get; }

    public ModuleDescriptor MpmModule { get; }

    /// <summary>The MPM's settings after check_config's clamps (not yet the run-time adjustments).</summary>
    public MpmSettings MpmSettings { get; }

    /// <summary>check_config's messages in the start-up wording (AH00513: WARNING: ...).</summary>
    public IReadOnlyList<string> MpmWarnings { get; }

    public string MpmName => MpmModules.NameOf(MpmModule);

    public CoreServerConfig MainCore => Config.MainServer.ModuleConfig.Get<CoreServerConfig>(CoreModule.Descriptor)!;

    /// <summary>
    /// Reads the configuration the command line names. Throws <see cref="ConfigException"/> for
    /// syntax errors and <see cref="MpmException"/> for AH00534.
    /// </summary>
    public static ConfigSession Load(CommandLineOptions options, string serverRoot, bool startup = true, MpmSettings? running = null)
    {
        LoadedConfig config = ConfigLoader.Load(new ConfigLoadOptions
        {
            Registry = ModuleCatalog.Registry,
            ServerRoot = serverRoot,
            ConfigFile = options.ConfigFile ?? "apache2.conf",
            Defines = options.Defines,
            PreDirectives = options.PreDirectives,
            PostDirectives = options.PostDirectives,
            Version = ProductInfo.ApacheVersion,
        });

        var mpms = new List<ModuleDescriptor>();
        foreach (ModuleDescriptor m in config.Modules)
        {
            if (m.Name.StartsWith("mpm_", StringComparison.Ordinal))
            {
                mpms.Add(m);
            }
        }

        if (mpms.Count == 0)
        {
            throw new MpmException("No MPM loaded.");
        }

        if (mpms.Count > 1)
        {
            throw new MpmException("More than one MPM loaded.");
        }

        var values = config.MainServer.ModuleConfig.Get<MpmDirectiveValues>(mpms[0]) ?? new MpmDirectiveValues();
        var core = config.MainServer.ModuleConfig.Get<CoreServerConfig>(CoreModule.Descriptor)!;
        MpmSettings raw = values.ToSettings(MpmModules.NameOf(mpms[0]), core.Main.ListenBacklog, core.Main.ListenCoresBucketsRatio);
        MpmConfigCheck check = raw.CheckConfig(startup, running);
        return new ConfigSession(config, mpms[0], check.Settings, check.Warnings);
    }

    /// <summary>The pid file: PidFile (Debian: ${APACHE_PID_FILE}), else Apache's default under the run dir.</summary>
    public string PidFile => MainCore.Main.PidFile ?? Path.Combine(RuntimeDir, "pluma.pid");

    /// <summary>DefaultRuntimeDir, else ServerRoot/logs as Apache's DEFAULT_REL_RUNTIMEDIR.</summary>
    public string RuntimeDir => MainCore.Main.DefaultRuntimeDir ?? Path.Combine(Config.ServerRoot, "logs");

    /// <summary>The main ErrorLog resolved against ServerRoot.</summary>
    public string ErrorLogPath
    {
        get
        {
            string log = MainCore.ErrorLog ?? "logs/error_log";
            return Path.IsPathRooted(log) ? log : Path.GetFullPath(Path.Combine(Config.ServerRoot, log));
        }
    }
}

/// <summary>AH00534: the configuration loads no MPM, or more than one.</summary>
internal sealed class MpmException : Exception
{
    public MpmException()
    {
    }

    public MpmException(string message)
        : base(message)
    {
    }

    public MpmException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
