using System.Collections.Generic;
using System.IO;
using Pluma.Connections.Diagnostics;

namespace Pluma.Modules.Hosting;

/// <summary>
/// The error log files of one configuration, one open file per distinct path (Debian's vhosts
/// usually share the main server's error.log). Paths are relative to ServerRoot.
/// </summary>
public sealed class ErrorLogSet : IDisposable
{
    private readonly Dictionary<string, FileErrorLog> _open = new(StringComparer.Ordinal);
    private readonly string _serverRoot;

    public ErrorLogSet(string serverRoot)
    {
        _serverRoot = serverRoot;
    }

    /// <summary>
    /// The log for <paramref name="path"/> at the levels given; a path Pluma cannot write
    /// (pipes, syslog) falls back to stderr.
    /// </summary>
    public IErrorLog Open(string? path, string? logLevel, IReadOnlyDictionary<string, string> moduleLevels)
    {
        Func<string, LogLevel> levelFor = LevelFunction(logLevel, moduleLevels);
        if (path is null || path.StartsWith('|') || path.StartsWith("syslog", StringComparison.OrdinalIgnoreCase))
        {
            return FileErrorLog.StandardError(levelFor);
        }

        string full = Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(_serverRoot, path));
        string key = full + "\0" + logLevel + "\0" + string.Join(',', moduleLevels);
        if (!_open.TryGetValue(key, out FileErrorLog? log))
        {
            log = FileErrorLog.Open(full, levelFor);
            _open[key] = log;
        }

        return log;
    }

    /// <summary>Apache's LogLevel semantics: a default level plus per-module overrides; warn when unset.</summary>
    public static Func<string, LogLevel> LevelFunction(string? logLevel, IReadOnlyDictionary<string, string> moduleLevels)
    {
        LogLevel main = logLevel is not null && ErrorLogFormat.TryParseLevel(logLevel, out LogLevel l) ? l : LogLevel.Warn;
        if (moduleLevels.Count == 0)
        {
            return _ => main;
        }

        var perModule = new Dictionary<string, LogLevel>(StringComparer.OrdinalIgnoreCase);
        foreach (var (module, level) in moduleLevels)
        {
            if (ErrorLogFormat.TryParseLevel(level, out LogLevel ml))
            {
                // "LogLevel mime_module:debug" and "LogLevel mime:debug" both name mod_mime.
                string name = module.EndsWith("_module", StringComparison.Ordinal) ? module[..^7] : module;
                perModule[name.StartsWith("mod_", StringComparison.Ordinal) ? name[4..] : name] = ml;
            }
        }

        return m => perModule.TryGetValue(m, out LogLevel x) ? x : main;
    }

    public void Dispose()
    {
        foreach (FileErrorLog log in _open.Values)
        {
            log.Dispose();
        }

        _open.Clear();
    }
}
