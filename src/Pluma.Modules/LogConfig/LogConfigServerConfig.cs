using System.Collections.Generic;

namespace Pluma.Modules.LogConfig;

/// <summary>mod_log_config's per-server record: named formats, the default format and the logs.</summary>
public sealed class LogConfigServerConfig
{
    public Dictionary<string, string> Formats { get; } = new(StringComparer.Ordinal);

    /// <summary>The last one-argument LogFormat; null: Apache's DEFAULT_LOG_FORMAT.</summary>
    public string? DefaultFormat { get; set; }

    public List<LogTarget> Logs { get; } = [];

    /// <summary>A virtual host without logs of its own writes to the main server's; formats overlay.</summary>
    public static LogConfigServerConfig Merge(LogConfigServerConfig main, LogConfigServerConfig vhost)
    {
        var m = new LogConfigServerConfig { DefaultFormat = vhost.DefaultFormat ?? main.DefaultFormat };
        foreach (var (k, v) in main.Formats)
        {
            m.Formats[k] = v;
        }

        foreach (var (k, v) in vhost.Formats)
        {
            m.Formats[k] = v;
        }

        m.Logs.AddRange(vhost.Logs.Count > 0 ? vhost.Logs : main.Logs);
        return m;
    }

    /// <summary>The format a target uses: its nickname's, else its inline text, else the default.</summary>
    public string ResolveFormat(LogTarget target) =>
        target.FormatSpec is null ? DefaultFormat ?? LogFormatParser.DefaultFormat
        : Formats.TryGetValue(target.FormatSpec, out string? named) ? named
        : target.FormatSpec;
}
