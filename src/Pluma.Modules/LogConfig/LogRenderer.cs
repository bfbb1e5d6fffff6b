using System.Globalization;

namespace Pluma.Modules.LogConfig;

/// <summary>Renders a compiled <see cref="LogFormat"/> for one request, as mod_log_config's config_log_transaction (without the newline).</summary>
public static class LogRenderer
{
    private static readonly byte[] s_dash = "-"u8.ToArray();

    public static void Render(LogFormat format, ILogSource source, LogBuffer output)
    {
        foreach (LogItem item in format.Items)
        {
            if (item.Kind == LogItemKind.Literal)
            {
                output.Append(item.Literal);
                continue;
            }

            if (item.Conditions is { } conditions && !ConditionHolds(conditions, item.NegateConditions, source.FinalStatus))
            {
                output.Append(s_dash);
                continue;
            }

            RenderItem(item, source, output);
        }
    }

    private static bool ConditionHolds(int[] conditions, bool negate, int status)
    {
        bool listed = Array.IndexOf(conditions, status) >= 0;
        return listed != negate;
    }

    private static void RenderItem(LogItem item, ILogSource s, LogBuffer o)
    {
        string? a = item.Argument;
        switch (item.Kind)
        {
            case LogItemKind.RemoteHost:
            case LogItemKind.RemoteAddress:
                o.AppendEscaped(a == "c" ? s.PeerIp : s.RemoteIp); // %{c}a, %{c}h: the connection's peer
                break;
            case LogItemKind.LocalAddress:
                o.AppendEscaped(s.LocalIp);
                break;
            case LogItemKind.RemoteLogname:
            case LogItemKind.LogId:
                o.Append(s_dash);
                break;
            case LogItemKind.RemoteUser:
                if (s.User is null)
                {
                    o.Append(s_dash);
                }
                else if (s.User.Length == 0)
                {
                    o.AppendAscii("\"\"");
                }
                else
                {
                    o.AppendEscaped(s.User);
                }

                break;
            case LogItemKind.RequestTime:
                RenderTime(a, s, o);
                break;
            case LogItemKind.RequestLine:
                o.AppendEscaped(s.RequestLine);
                break;
            case LogItemKind.Status:
                // %s is the original request's status unless '>' asks for the final one.
                int status = item.WantOriginal ?? true ? s.OriginalStatus : s.FinalStatus;
                if (status <= 0)
                {
                    o.Append(s_dash);
                }
                else
                {
                    o.Append(status);
                }

                break;
            case LogItemKind.BytesClf:
                if (s.BodyBytes == 0)
                {
                    o.Append(s_dash);
                }
                else
                {
                    o.Append(s.BodyBytes);
                }

                break;
            case LogItemKind.Bytes:
                o.Append(s.BodyBytes);
                break;
            case LogItemKind.BytesOut:
                o.Append(s.BytesOut);
                break;
            case LogItemKind.BytesIn:
                o.Append(s.BytesIn);
                break;
            case LogItemKind.BytesCombined:
                o.Append(s.BytesIn + s.BytesOut);
                break;
            case LogItemKind.DurationMicros:
                o.Append(s.Duration.Ticks / 10);
                break;
            case LogItemKind.DurationUnit:
                long micros = s.Duration.Ticks / 10;
                o.Append(a switch
                {
                    "ms" => micros / 1000,
                    "us" => micros,
                    _ => micros / 1_000_000,
                });
                break;
            case LogItemKind.RequestHeader:
                Bytes(a is null ? null : s.RequestHeader(a), o);
                break;
            case LogItemKind.ResponseHeader:
                string? h = a is null ? null : s.ResponseHeader(a);
                if (h is not null && a!.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    // log_header_out prints the content type without its parameters (ap_field_noparam).
                    int semi = h.IndexOf(';', StringComparison.Ordinal);
                    h = semi < 0 ? h : h[..semi].TrimEnd();
                }

                Bytes(h, o);
                break;
            case LogItemKind.Environment:
                Text(a is null ? null : s.Environment(a), o);
                break;
            case LogItemKind.Note:
                Text(a is null ? null : s.Note(a), o);
                break;
            case LogItemKind.Cookie:
                Bytes(a is null ? null : Cookie(s.RequestHeader("Cookie"), a), o);
                break;
            case LogItemKind.ServerName:
                o.AppendEscaped(s.ServerName);
                break;
            case LogItemKind.RequestServerName:
                o.AppendEscaped(s.RequestHostName);
                break;
            case LogItemKind.ServerPort:
                o.Append(a switch
                {
                    "local" => s.LocalPort,
                    "remote" => s.RemotePort,
                    _ => s.ServerPort,
                });
                break;
            case LogItemKind.ProcessId:
                if (a is "tid")
                {
                    o.Append(s.ThreadId);
                }
                else if (a is "hextid")
                {
                    o.AppendAscii(s.ThreadId.ToString("x", CultureInfo.InvariantCulture));
                }
                else
                {
                    o.Append(s.ProcessId);
                }

                break;
            case LogItemKind.UriPath:
                o.AppendEscaped(item.WantOriginal ?? true ? s.OriginalUriPath : s.UriPath);
                break;
            case LogItemKind.QueryString:
                if (s.Query is not null)
                {
                    o.Append((byte)'?');
                    o.AppendEscapedLatin1(s.Query);
                }

                break;
            case LogItemKind.Protocol:
                o.AppendEscaped(s.Protocol);
                break;
            case LogItemKind.Method:
                o.AppendEscaped(s.Method);
                break;
            case LogItemKind.Filename:
                Text(s.Filename, o);
                break;
            case LogItemKind.ConnectionStatus:
                o.Append((byte)s.ConnectionStatus);
                break;
            case LogItemKind.KeepAlives:
                o.Append(s.KeepAlives);
                break;
            case LogItemKind.ModuleItem:
                Text(s.ModuleItem(item.Letter, a ?? string.Empty), o);
                break;
            case LogItemKind.Handler:
                Text(s.Handler, o);
                break;
        }
    }

    private static void Text(string? value, LogBuffer o)
    {
        if (value is null)
        {
            o.Append(s_dash);
        }
        else
        {
            o.AppendEscaped(value);
        }
    }

    /// <summary>A value read from the request's bytes as latin-1 (header fields, cookies), or "-".</summary>
    private static void Bytes(string? value, LogBuffer o)
    {
        if (value is null)
        {
            o.Append(s_dash);
        }
        else
        {
            o.AppendEscapedLatin1(value);
        }
    }

    private static string? Cookie(string? header, string name)
    {
        if (header is null)
        {
            return null;
        }

        foreach (string part in header.Split(';'))
        {
            string p = part.Trim();
            int eq = p.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && p.AsSpan(0, eq).Trim().SequenceEqual(name))
            {
                return p[(eq + 1)..].Trim();
            }
        }

        return null;
    }

    // %t, %{format}t with begin:/end: and the sec/msec/usec(_frac) forms.
    private static void RenderTime(string? arg, ILogSource s, LogBuffer o)
    {
        DateTimeOffset t = s.RequestTime;
        if (arg is null)
        {
            o.AppendAscii(LogTime.Clf(t));
            return;
        }

        string f = arg;
        if (f.StartsWith("begin:", StringComparison.Ordinal))
        {
            f = f[6..];
        }
        else if (f.StartsWith("end:", StringComparison.Ordinal))
        {
            f = f[4..];
            t += s.Duration;
        }

        long usec = (t.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
        switch (f)
        {
            case "sec":
                o.Append(usec / 1_000_000);
                break;
            case "msec":
                o.Append(usec / 1000);
                break;
            case "usec":
                o.Append(usec);
                break;
            case "msec_frac":
                o.AppendAscii((usec / 1000 % 1000).ToString("000", CultureInfo.InvariantCulture));
                break;
            case "usec_frac":
                o.AppendAscii((usec % 1_000_000).ToString("000000", CultureInfo.InvariantCulture));
                break;
            case "":
                o.AppendAscii(LogTime.Clf(t));
                break;
            default:
                o.AppendEscaped(LogTime.Strftime(t, f));
                break;
        }
    }
}
