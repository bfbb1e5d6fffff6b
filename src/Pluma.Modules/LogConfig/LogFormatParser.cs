using System.Collections.Generic;
using System.Text;

namespace Pluma.Modules.LogConfig;

/// <summary>
/// Compiles a LogFormat string as mod_log_config's parse_log_string: literals (with \n \r \t \\
/// escapes), and % directives with optional '!', '&lt;', '&gt;', status lists and {argument}.
/// </summary>
public static class LogFormatParser
{
    /// <summary>Apache's DEFAULT_LOG_FORMAT, used by TransferLog and by CustomLog without a format when no default LogFormat is set.</summary>
    public const string DefaultFormat = "%h %l %u %t \"%r\" %>s %b";

    /// <summary>
    /// The compiled items, or null with Apache's error text in <paramref name="error"/>. A letter
    /// another module registers (<see cref="ModuleLogItems"/>) is recognised when
    /// <paramref name="isLoaded"/> says its module is loaded (always when it is not given: the
    /// format was checked when read).
    /// </summary>
    public static LogFormat? Parse(string format, out string? error, Func<string, bool>? isLoaded = null)
    {
        var items = new List<LogItem>();
        var literal = new StringBuilder();
        int i = 0;
        error = null;
        while (i < format.Length)
        {
            char c = format[i];
            if (c != '%')
            {
                if (c == '\\' && i + 1 < format.Length)
                {
                    char n = format[i + 1];
                    switch (n)
                    {
                        case '\\':
                            literal.Append('\\');
                            i += 2;
                            continue;
                        case 'r':
                            literal.Append('\r');
                            i += 2;
                            continue;
                        case 'n':
                            literal.Append('\n');
                            i += 2;
                            continue;
                        case 't':
                            literal.Append('\t');
                            i += 2;
                            continue;
                    }
                }

                literal.Append(c);
                i++;
                continue;
            }

            i++;
            if (i < format.Length && format[i] == '%')
            {
                literal.Append('%');
                i++;
                continue;
            }

            Flush(items, literal);
            LogItem? item = ParseItem(format, ref i, isLoaded, out error);
            if (item is null)
            {
                return null;
            }

            items.Add(item);
        }

        Flush(items, literal);
        return new LogFormat(format, [.. items]);
    }

    private static void Flush(List<LogItem> items, StringBuilder literal)
    {
        if (literal.Length > 0)
        {
            items.Add(new LogItem(LogItemKind.Literal) { Literal = Encoding.UTF8.GetBytes(literal.ToString()) });
            literal.Clear();
        }
    }

    private static LogItem? ParseItem(string s, ref int i, Func<string, bool>? isLoaded, out string? error)
    {
        bool negate = false;
        bool? wantOriginal = null;
        string? arg = null;
        List<int>? conditions = null;
        error = null;
        while (i < s.Length)
        {
            char c = s[i];
            switch (c)
            {
                case '!':
                    negate = !negate;
                    i++;
                    break;
                case '<':
                    wantOriginal = true;
                    i++;
                    break;
                case '>':
                    wantOriginal = false;
                    i++;
                    break;
                case ',':
                    i++;
                    break;
                case '{':
                    int close = s.IndexOf('}', i + 1);
                    arg = close < 0 ? s[(i + 1)..] : s[(i + 1)..close];
                    i = close < 0 ? s.Length : close + 1;
                    break;
                case >= '0' and <= '9':
                    int n = 0;
                    while (i < s.Length && char.IsAsciiDigit(s[i]))
                    {
                        n = (n * 10) + (s[i] - '0');
                        i++;
                    }

                    (conditions ??= []).Add(n);
                    break;
                default:
                    LogItemKind? kind = Kind(c);
                    if (kind is null && ModuleLogItems.Find(c) is { } entry && (isLoaded?.Invoke(entry.Module) ?? true))
                    {
                        kind = LogItemKind.ModuleItem;
                    }

                    if (kind is null)
                    {
                        error = "Unrecognized LogFormat directive %" + c;
                        return null;
                    }

                    i++;
                    return new LogItem(kind.Value, arg, c)
                    {
                        Conditions = conditions?.ToArray(),
                        NegateConditions = negate,
                        WantOriginal = wantOriginal,
                    };
            }
        }

        error = "Ran off end of LogFormat parsing args to some directive";
        return null;
    }

    private static LogItemKind? Kind(char c) => c switch
    {
        'h' => LogItemKind.RemoteHost,
        'a' => LogItemKind.RemoteAddress,
        'A' => LogItemKind.LocalAddress,
        'l' => LogItemKind.RemoteLogname,
        'u' => LogItemKind.RemoteUser,
        't' => LogItemKind.RequestTime,
        'r' => LogItemKind.RequestLine,
        's' => LogItemKind.Status,
        'b' => LogItemKind.BytesClf,
        'B' => LogItemKind.Bytes,
        'O' => LogItemKind.BytesOut,
        'I' => LogItemKind.BytesIn,
        'S' => LogItemKind.BytesCombined,
        'D' => LogItemKind.DurationMicros,
        'T' => LogItemKind.DurationUnit,
        'i' => LogItemKind.RequestHeader,
        'o' => LogItemKind.ResponseHeader,
        'e' => LogItemKind.Environment,
        'n' => LogItemKind.Note,
        'v' => LogItemKind.ServerName,
        'V' => LogItemKind.RequestServerName,
        'p' => LogItemKind.ServerPort,
        'P' => LogItemKind.ProcessId,
        'U' => LogItemKind.UriPath,
        'q' => LogItemKind.QueryString,
        'H' => LogItemKind.Protocol,
        'm' => LogItemKind.Method,
        'f' => LogItemKind.Filename,
        'X' => LogItemKind.ConnectionStatus,
        'k' => LogItemKind.KeepAlives,
        'L' => LogItemKind.LogId,
        'R' => LogItemKind.Handler,
        'C' => LogItemKind.Cookie,
        _ => null,
    };
}
