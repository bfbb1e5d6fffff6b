using System.Collections.Generic;

namespace Pluma.Host;

/// <summary>What apache2's command line asked for (main.c's getopt loop), as parsed.</summary>
internal sealed class CommandLineOptions
{
    /// <summary>-d: the initial ServerRoot (null = the built-in default).</summary>
    public string? ServerRoot { get; set; }

    /// <summary>-f: the main configuration file, relative to ServerRoot unless absolute.</summary>
    public string? ConfigFile { get; set; }

    /// <summary>-D: names defined for &lt;IfDefine&gt;, in order.</summary>
    public List<string> Defines { get; } = [];

    /// <summary>-C: directives processed before the configuration files.</summary>
    public List<string> PreDirectives { get; } = [];

    /// <summary>-c: directives processed after the configuration files.</summary>
    public List<string> PostDirectives { get; } = [];

    /// <summary>-e: the LogLevel for start-up messages.</summary>
    public string? StartupLogLevel { get; set; }

    /// <summary>-E: a file that receives start-up errors instead of stderr.</summary>
    public string? StartupErrorLog { get; set; }

    /// <summary>-k: start, stop, restart, graceful, graceful-stop, advise (Pluma's).</summary>
    public string? Signal { get; set; }

    /// <summary>What follows <c>-k advise</c>: the advisor's options (--apply, --mpm NAME, --ram-share PERCENT).</summary>
    public List<string> AdviseArguments { get; } = [];

    public bool ShowVersion { get; set; }

    public bool ShowCompileSettings { get; set; }

    public bool ShowHelp { get; set; }

    public bool ListCompiledModules { get; set; }

    public bool ListDirectives { get; set; }

    /// <summary>-t (and -S, -M): check the configuration and stop.</summary>
    public bool ConfigTest { get; set; }

    /// <summary>-T: skip the DocumentRoot existence check.</summary>
    public bool SkipDocumentRootCheck { get; set; }

    /// <summary>-X: one process, no children, no detaching (Apache's ONE_PROCESS define).</summary>
    public bool OneProcess => Defines.Contains("ONE_PROCESS");

    /// <summary>-D FOREGROUND / NO_DETACH / -X: stay attached to the terminal.</summary>
    public bool Foreground => OneProcess || Defines.Contains("FOREGROUND") || Defines.Contains("NO_DETACH");

    public bool IsDefined(string name) => Defines.Contains(name);
}
