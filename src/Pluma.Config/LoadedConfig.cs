using System.Collections.Generic;

namespace Pluma.Config;

/// <summary>The result of <see cref="ConfigLoader.Load"/>: everything the host, -M, -S and -t need.</summary>
public sealed class LoadedConfig
{
    internal LoadedConfig(
        ModuleRegistry registry,
        ServerConfig mainServer,
        IReadOnlyList<ServerConfig> virtualHosts,
        IReadOnlyList<ModuleDescriptor> modules,
        IReadOnlyList<string> defines,
        IReadOnlyDictionary<string, string> variables,
        IReadOnlyList<ConfigWarning> warnings,
        string serverRoot,
        string configFile,
        IReadOnlyList<ConfigNode> tree)
    {
        Registry = registry;
        MainServer = mainServer;
        VirtualHosts = virtualHosts;
        Modules = modules;
        Defines = defines;
        Variables = variables;
        Warnings = warnings;
        ServerRoot = serverRoot;
        ConfigFile = configFile;
        Tree = tree;
    }

    /// <summary>Every file Include/IncludeOptional read, in reading order (for -t -D DUMP_INCLUDES).</summary>
    public IReadOnlyList<IncludedFile> Includes { get; init; } = [];

    public ModuleRegistry Registry { get; }

    public ServerConfig MainServer { get; }

    /// <summary>In config order; each knows its file and line for -S.</summary>
    public IReadOnlyList<ServerConfig> VirtualHosts { get; }

    /// <summary>Loaded modules in load order: static ones first, then LoadModule order (for -M).</summary>
    public IReadOnlyList<ModuleDescriptor> Modules { get; }

    /// <summary>-D names and Define'd names, in order (for -S's "Define:" lines).</summary>
    public IReadOnlyList<string> Defines { get; }

    /// <summary>Define'd variables with values.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; }

    /// <summary>Start-up warnings in the order found (AH00111, AH01574, PL00001, ...).</summary>
    public IReadOnlyList<ConfigWarning> Warnings { get; }

    /// <summary>The final ServerRoot (the ServerRoot directive may have changed it).</summary>
    public string ServerRoot { get; }

    /// <summary>The main config file, absolute.</summary>
    public string ConfigFile { get; }

    /// <summary>The read tree, conditionals and includes already applied (for dumps).</summary>
    public IReadOnlyList<ConfigNode> Tree { get; }

    /// <summary>The loaded modules' directive lookup, for access files read later.</summary>
    internal ModuleSet ModuleSet { get; init; } = null!;

    /// <summary>The environment ${VAR} fell back to while loading.</summary>
    internal IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The version &lt;IfVersion&gt; compared with.</summary>
    internal int[] Version { get; init; } = [0, 0, 0];

    public bool IsLoaded(ModuleDescriptor module)
    {
        foreach (ModuleDescriptor m in Modules)
        {
            if (ReferenceEquals(m, module))
            {
                return true;
            }
        }

        return false;
    }
}
