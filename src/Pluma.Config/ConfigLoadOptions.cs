using System.Collections.Generic;
using Pluma.Config.Parsing;

namespace Pluma.Config;

/// <summary>What the command line and the environment give the loader (httpd's -d, -f, -D, -C, -c).</summary>
public sealed class ConfigLoadOptions
{
    public required ModuleRegistry Registry { get; init; }

    /// <summary>-d: the starting ServerRoot (Debian: /etc/apache2).</summary>
    public required string ServerRoot { get; init; }

    /// <summary>-f: the main file, relative to ServerRoot unless absolute (Debian: apache2.conf).</summary>
    public string ConfigFile { get; init; } = "apache2.conf";

    /// <summary>-D names, defined before reading.</summary>
    public IReadOnlyList<string> Defines { get; init; } = [];

    /// <summary>-C: directives read before the config file.</summary>
    public IReadOnlyList<string> PreDirectives { get; init; } = [];

    /// <summary>-c: directives read after the config file.</summary>
    public IReadOnlyList<string> PostDirectives { get; init; } = [];

    /// <summary>The environment ${VAR} falls back to (envvars' APACHE_RUN_DIR ...); null: this process's environment.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>The version &lt;IfVersion&gt; compares with.</summary>
    public string Version { get; init; } = ConfigLoader.CompatibleApacheVersion;

    /// <summary>
    /// Where the files are read from: the disk (default), a <see cref="RecordingConfigFiles"/> in
    /// the parent, the parent's <see cref="ConfigSnapshot"/> in a child.
    /// </summary>
    public IConfigFiles Files { get; init; } = DiskConfigFiles.Instance;

    /// <summary>
    /// The main file's text, held in memory (the fuzz harness): when set, the configuration reads
    /// no file at all, so Include and IncludeOptional are refused as a missing file is, and
    /// fuzzed text can never reach the machine's files (Include /, /dev/zero).
    /// </summary>
    internal string? MainFileText { get; init; }
}
