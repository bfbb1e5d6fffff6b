using System.Collections.Generic;
using System.IO;
using Pluma.CompiledModules;
using Pluma.Config;
using Pluma.Config.Parsing;
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
    private ConfigSession(LoadedConfig config, ModuleDescriptor mpm, MpmSettings settings, IReadOnlyList<string> mpmWarnings, ConfigSnapshot? snapshot)
    {
        Snapshot = snapshot;
        Config = config;
        MpmModule = mpm;
        MpmSettings = settings;
        MpmWarnings = mpmWarnings;
    }

    public LoadedConfig Config { get; }

    /// <summary>
    /// What this reading saw of the configuration files (start-up and restarts), for the children
    /// of its generation (<see cref="ConfigSnapshotHandoff"/>); null in a child, which read it.
    /// </summary>
    public ConfigSnapshot? Snapshot { get; }

    public ModuleDescriptor MpmModule { get; }

    /// <summary>
    /// The MPM's settings: after check_config's clamps at start-up, as said on restart (the
    /// parent clamps), as handed down in a child.
    /// </summary>
    public MpmSettings MpmSettings { get; }

    /// <summary>check_config's messages in the start-up wording (AH00513: WARNING: ...).</summary>
    public IReadOnlyList<string> MpmWarnings { get; }

    public string MpmName => MpmModules.NameOf(MpmModule);

    public CoreServerConfig MainCore => Config.MainServer.ModuleConfig.Get<CoreServerConfig>(CoreModule.Descriptor)!;

    /// <summary>
    /// Reads the configuration at start-up (and for -t, -S, -V): the MPM's settings pass
    /// check_config's clamps here, once, with the console texts. Throws
    /// <see cref="ConfigException"/> for syntax errors and <see cref="MpmException"/> for AH00534.
    /// </summary>
    public static ConfigSession Load(CommandLineOptions options, string serverRoot) =>
        Load(options, serverRoot, (raw) => raw.CheckConfig(startup: true), new RecordingConfigFiles());

    /// <summary>
    /// Reads the configuration for a restart: the MPM's settings as the directives say them,
    /// not clamped (the parent clamps them once, against the first generation's limits, and logs the warnings).
    /// </summary>
    public static ConfigSession LoadForRestart(CommandLineOptions options, string serverRoot) =>
        Load(options, serverRoot, (raw) => new MpmConfigCheck(raw, []), new RecordingConfigFiles());

    /// <summary>
    /// Reads the configuration in a child for its request path from the files its parent read
    /// (<paramref name="files"/>, the generation's snapshot); the MPM's settings are the ones the
    /// parent handed down (<paramref name="fromParent"/>), never the directives again.
    /// </summary>
    public static ConfigSession LoadForChild(CommandLineOptions options, string serverRoot, MpmSettings fromParent, IConfigFiles files) =>
        Load(options, serverRoot, (_) => new MpmConfigCheck(fromParent, []), files);

    private static ConfigSession Load(CommandLineOptions options, string serverRoot, Func<MpmSettings, MpmConfigCheck> settle, IConfigFiles files)
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
            Files = files,
        });

        // mod_ssl's certificates and keys, read here while the process is still root (the
        // parent before it serves, a child before it drops its privileges); a bad one refuses
        // -t, the start and a restart with file, line and Apache's message.
        Modules.Ssl.SslStartup.LoadCredentials(config);

        // HttpProtocolOptions per listener: refused here (-t, start, restart) when one setting cannot serve them all.
        ConnectionServers.ProtocolOptions(config);

        var mpms = new List<(ModuleDescriptor Module, MpmDefinition Mpm)>();
        foreach (ModuleDescriptor m in config.Modules)
        {
            if (MpmModules.DefinitionOf(m) is { } mpm)
            {
                mpms.Add((m, mpm));
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

        (ModuleDescriptor module, MpmDefinition definition) = mpms[0];
        IMpmDirectiveDraft draft = config.MainServer.ModuleConfig.Get<IMpmDirectiveDraft>(module)
            ?? (IMpmDirectiveDraft)module.CreateServerConfig!();
        var core = config.MainServer.ModuleConfig.Get<CoreServerConfig>(CoreModule.Descriptor)!;
        MpmConfigCheck check = settle(draft.Complete(core.Main.ListenBacklog, core.Main.ListenCoresBucketsRatio));
        return new ConfigSession(config, module, check.Settings, check.Warnings, (files as RecordingConfigFiles)?.Snapshot);
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
