using System.Globalization;
using System.Text;

namespace Pluma.Connections.Diagnostics;

/// <summary>
/// Apache's default error-log line:
/// <c>[Sat Nov 28 12:29:40.237532 2026] [mpm_event:notice] [pid 8394:tid 8394] [client 127.0.0.1:5432] AH00489: ...</c>
/// </summary>
public static class ErrorLogFormat
{
    private const string HexDigits = "0123456789abcdef";

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

        AppendEscaped(sb, message);
        return sb.Append('\n').ToString();
    }

    /// <summary>
    /// Apache's ap_escape_errorlog_item, which log.c applies to every message (client data
    /// included): a backslash is doubled, \b \n \r \t \v are written as such, other control
    /// bytes and every byte of a non-ASCII character (its UTF-8 form) as \xhh; '"' stays as it is
    /// ("no need for this in error log"). One entry is thus always one line: a %0a in a URL
    /// cannot forge a second one.
    /// </summary>
    public static void AppendEscaped(StringBuilder sb, string message)
    {
        int i = 0;
        while (i < message.Length && message[i] is >= ' ' and < (char)0x7F and not '\\')
        {
            i++;
        }

        sb.Append(message, 0, i);
        if (i == message.Length)
        {
            return;
        }

        Span<byte> utf8 = stackalloc byte[4];
        for (; i < message.Length; i++)
        {
            char c = message[i];
            switch (c)
            {
                case >= ' ' and < (char)0x7F and not '\\':
                    sb.Append(c);
                    break;
                case '\\':
                    sb.Append(@"\\");
                    break;
                case '\b':
                    sb.Append(@"\b");
                    break;
                case '\n':
                    sb.Append(@"\n");
                    break;
                case '\r':
                    sb.Append(@"\r");
                    break;
                case '\t':
                    sb.Append(@"\t");
                    break;
                case '\v':
                    sb.Append(@"\v");
                    break;
                default:
                    int n = char.IsHighSurrogate(c) && i + 1 < message.Length && char.IsLowSurrogate(message[i + 1])
                        ? Encoding.UTF8.GetBytes(message.AsSpan(i++, 2), utf8)
                        : Encoding.UTF8.GetBytes(message.AsSpan(i, 1), utf8);
                    for (int k = 0; k < n; k++)
                    {
                        sb.Append(@"\x").Append(HexDigits[utf8[k] >> 4]).Append(HexDigits[utf8[k] & 15]);
                    }

                    break;
            }
        }
    }
}
