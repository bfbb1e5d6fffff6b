using System.Collections.Generic;
using Pluma.Config.Parsing;
using Pluma.Config.Processing;

namespace Pluma.Config;

/// <summary>
/// Reads one access file (.htaccess) into a per-directory section, as httpd's ap_parse_htaccess
/// (server/config.c) does: the same reader and directive tables as the server's own files, with
/// only what the directory's AllowOverride, AllowOverride Options=... and AllowOverrideList allow.
/// The caller (core's directory walk) finds the file, reads it and merges the section; this class
/// knows nothing of requests.
/// </summary>
public static class AccessFileParser
{
    /// <param name="config">The loaded configuration whose modules, Define'd names and ServerRoot apply.</param>
    /// <param name="server">The server the request is for: its records are read, never written.</param>
    /// <param name="directory">The directory holding the file, with its trailing '/' (httpd's cmd->path).</param>
    /// <param name="file">The file's path, for the sections' origin and the error text.</param>
    /// <param name="text">The file's text.</param>
    /// <param name="overrides">What the file may say there.</param>
    public static AccessFileResult Parse(LoadedConfig config, ServerConfig server, string directory, string file, string text, AccessFileOverrides overrides)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(overrides);
        var warnings = new List<ConfigWarning>();
        int moduleCount = config.Registry.Count;

        // Directives may create a module's server record on first use (ap_set_config_vectors):
        // they get a copy of the vector, so a request never changes the loaded server.
        var scratch = new ServerConfig(server.IsVirtual, server.Addresses, server.File, server.Line, moduleCount)
        {
            ModuleConfig = server.ModuleConfig.Clone(),
            DirDefaults = server.DirDefaults,
        };
        var builder = new ConfigTreeBuilder(
            config.ModuleSet, config.ServerRoot, [.. config.Defines], new Dictionary<string, string>(config.Variables, StringComparer.Ordinal),
            config.Environment, warnings, config.Version)
        {
            IncludesRefused = true,
            AccessFile = overrides,
        };
        var processor = new ConfigProcessor(config.ModuleSet, config.ServerRoot, warnings, scratch);
        var vector = new ModuleConfigVector(moduleCount);
        var sections = new List<DirSection>();
        try
        {
            List<ConfigNode> tree = [];
            builder.ReadAccessFile(file, text, tree);
            processor.ProcessAccessFile(tree, directory, overrides, vector, sections);
        }
        catch (ConfigException e)
        {
            // httpd logs "FILE: REASON" with no line (ap_parse_htaccess).
            return new AccessFileResult(null, e.Reason, warnings);
        }

        var section = new DirSection(SectionKind.Directory, directory, null, null, file, 0, vector, null);
        section.NestedList.AddRange(sections);
        return new AccessFileResult(section, null, warnings);
    }
}

/// <summary>
/// One access file read: the section to merge after the directory's own &lt;Directory&gt;
/// sections, or the error that makes the request a 500; and the warnings to log either way
/// (AH02295, AH02296, AH00111).
/// </summary>
public sealed record AccessFileResult(DirSection? Section, string? Error, IReadOnlyList<ConfigWarning> Warnings);
