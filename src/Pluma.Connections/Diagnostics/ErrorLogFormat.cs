using System.Globalization;
using System.Text;

namespace Pluma.Connections.Diagnostics;

/// <summary>
/// Apache's default error-log line:
/// <c>[Sat Nov 28 12:29:40.237532 2026] [mpm_event:notice] [pid 8394:tid 8394] [client 127.0.0.1:5432] AH00489: ...</c>
/// </summary>
public static class ErrorLogFormat
{
    private static readonly string[] s_levelNames =
    [
        "emerg", "alert", "crit", "error", "warn", "notice", "info", "debug",
        "trace1", "trace2", "trace3", "trace4", "trace5", "trace6", "trace7", "trace8",
    ];

    /// <summary>The name LogLevel uses for <paramref name="level"/>.</summary>
    public static string LevelName(LogLevel level) => s_levelNames[(int)level];

    /// <summary>Parses a LogLevel name; false if it is not one.</summary>
    public static bool TryParseLevel(string name, out LogLevel level)
    {
        int index = Array.FindIndex(s_levelNames, n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        level = index < 0 ? LogLevel.Warn : (LogLevel)index;
        return index >= 0;
    }

    /// <summary>Formats one complete line, newline included.</summary>
    public static string FormatLine(DateTimeOffset now, LogLevel level, string module, int pid, long tid, string message, string? client)
    {
        var local = now.ToLocalTime();
        var sb = new StringBuilder(128 + message.Length);
        sb.Append('[')
          .Append(local.ToString("ddd MMM dd HH:mm:ss", CultureInfo.InvariantCulture))
          .Append('.')
          .Append((local.Ticks % TimeSpan.TicksPerSecond / 10).ToString("D6", CultureInfo.InvariantCulture))
          .Append(' ')
          .Append(local.Year.ToString(CultureInfo.InvariantCulture))
          .Append("] [")
          .Append(module).Append(':').Append(LevelName(level))
          .Append("] [pid ").Append(pid.ToString(CultureInfo.InvariantCulture))
          .Append(":tid ").Append(tid.ToString(CultureInfo.InvariantCulture)).Append("] ");
        if (client is not null)
        {
            sb.Append("[client ").Append(client).Append("] ");
        }

        sb.Append(message).Append('\n');
        return sb.ToString();
    }
}
