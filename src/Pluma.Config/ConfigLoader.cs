using System.Collections;
using System.Collections.Generic;
using System.IO;
using Pluma.Config.Parsing;
using Pluma.Config.Processing;
using Pluma.Config.Sections;

namespace Pluma.Config;

/// <summary>
/// Reads and processes a configuration as httpd 2.4 does: -C directives, the main file with its
/// includes, -c directives into one tree (read-time directives run while reading), then every
/// directive applied in order, then virtual hosts merged over the main server.
/// </summary>
public static class ConfigLoader
{
    /// <summary>The httpd version Pluma behaves as; &lt;IfVersion&gt; compares with it.</summary>
    public const string CompatibleApacheVersion = "2.4.71";

    /// <exception cref="ConfigException">The first error, with httpd's wording, file and line.</exception>
    public static LoadedConfig Load(ConfigLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var modules = new ModuleSet(options.Registry);
        var warnings = new List<ConfigWarning>();
        List<string> defines = [];
        foreach (string d in options.Defines)
        {
            if (!defines.Contains(d))
            {
                defines.Add(d);
            }
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        string serverRoot = Path.GetFullPath(options.ServerRoot);
        if (serverRoot.Length > 1)
        {
            serverRoot = serverRoot.TrimEnd('/');
        }

        IReadOnlyDictionary<string, string> environment = options.Environment ?? ReadEnvironment();
        int[] version = ParseVersion(options.Version);
        var builder = new ConfigTreeBuilder(
            modules, serverRoot, defines, variables, environment, warnings, version)
        {
            IncludesRefused = options.MainFileText is not null,
            Files = options.Files,
        };
        string configFile = builder.ResolvePath(options.ConfigFile);

        List<ConfigNode> tree = [];
        builder.ReadCommandLine(options.PreDirectives, tree);
        if (options.MainFileText is { } text)
        {
            builder.ReadMainText(configFile, text, tree);
        }
        else
        {
            builder.ReadMainFile(configFile, tree);
        }

        builder.ReadCommandLine(options.PostDirectives, tree);

        var processor = new ConfigProcessor(modules, builder.ServerRoot, warnings);
        processor.Process(tree);

        ServerConfig main = processor.MainServer;
        IReadOnlyList<ModuleDescriptor> all = options.Registry.Modules;
        main.SetWalker(new SectionWalker(all, main.DirDefaults, main.SectionList));
        foreach (ServerConfig vhost in processor.VirtualHosts)
        {
            vhost.ModuleConfig = MergeVectors(main.ModuleConfig, vhost.ModuleConfig, all, server: true);
            vhost.DirDefaults = MergeVectors(main.DirDefaults, vhost.DirDefaults, all, server: false);
            vhost.SetWalker(new SectionWalker(all, vhost.DirDefaults, [.. main.SectionList, .. vhost.SectionList]));
        }

        return new LoadedConfig(
            options.Registry, main, processor.VirtualHosts, [.. modules.Order], defines, variables, warnings,
            builder.ServerRoot, configFile, tree)
        {
            ModuleSet = modules,
            Environment = environment,
            Version = version,
            Includes = builder.Includes,
        };
    }

    // httpd's merge_server_configs / merge_per_dir_configs for a virtual host over the main server.
    private static ModuleConfigVector MergeVectors(ModuleConfigVector main, ModuleConfigVector vhost, IReadOnlyList<ModuleDescriptor> modules, bool server)
    {
        ModuleConfigVector merged = vhost.Clone();
        for (int i = 0; i < merged.Count; i++)
        {
            object? baseRecord = main.GetAt(i);
            object? own = merged.GetAt(i);
            Func<object, object, object>? merge = server ? modules[i].MergeServerConfig : modules[i].MergeDirConfig;
            if (own is null)
            {
                merged.SetAt(i, baseRecord);
            }
            else if (baseRecord is not null && merge is not null)
            {
                merged.SetAt(i, merge(baseRecord, own));
            }
        }

        return merged;
    }

    private static Dictionary<string, string> ReadEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            if (e.Key is string k && e.Value is string v)
            {
                env[k] = v;
            }
        }

        return env;
    }

    private static int[] ParseVersion(string version)
    {
        string[] parts = version.Split('.');
        int[] v = new int[3];
        for (int i = 0; i < Math.Min(3, parts.Length); i++)
        {
            _ = int.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out v[i]);
        }

        return v;
    }
}
