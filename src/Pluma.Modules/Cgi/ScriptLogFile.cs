using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Cgi;

/// <summary>
/// ScriptLog entries as mod_cgi's log_scripterror and log_script write them: a "%% [date] METHOD
/// URI PROTOCOL" line, "%% status file", then the error, or the request's fields, the start of its
/// body, the response fields, the script's stdout and stderr. Nothing is written once the file is
/// larger than ScriptLogLength, or when it cannot be opened (as in Apache, silently).
/// </summary>
internal static class ScriptLogFile
{
    /// <summary>log_scripterror's entry: one error with its status.</summary>
    public static void Error(RequestRecord r, CgiServerConfig conf, int status, string error)
    {
        var sb = Begin(r, status);
        sb.Append("%error\n").Append(error).Append('\n');
        Write(conf, sb);
    }

    /// <summary>log_script's entry for a script whose response was refused.</summary>
    public static void Failure(RequestRecord r, CgiServerConfig conf, int status, ReadOnlySpan<byte> body, string? badLine, string stdout, IReadOnlyList<string> stderr)
    {
        var sb = Begin(r, status);
        sb.Append("%request\n");
        var headers = r.Request.Headers;
        for (int i = 0; i < headers.Count; i++)
        {
            sb.Append(headers.GetName(i)).Append(": ").Append(headers.GetValue(i)).Append('\n');
        }

        if (r.Method is "POST" or "PUT" && !body.IsEmpty)
        {
            sb.Append('\n').Append(Encoding.Latin1.GetString(body)).Append('\n');
        }

        sb.Append("%response\n");
        if (!string.IsNullOrEmpty(badLine))
        {
            sb.Append(badLine).Append('\n');
        }

        if (stdout.Length > 0)
        {
            sb.Append("%stdout\n").Append(stdout).Append('\n');
        }

        if (stderr.Count > 0)
        {
            sb.Append("%stderr\n");
            foreach (string line in stderr)
            {
                sb.Append(line).Append('\n');
            }

            sb.Append('\n');
        }

        Write(conf, sb);
    }

    private static StringBuilder Begin(RequestRecord r, int status)
    {
        // apr_ctime: "Sun Dec 06 18:32:51 2026", local time.
        string time = DateTime.Now.ToString("ddd MMM dd HH:mm:ss yyyy", CultureInfo.InvariantCulture);
        var sb = new StringBuilder(256);
        sb.Append("%% [").Append(time).Append("] ").Append(r.Method).Append(' ').Append(r.Uri);
        if (r.Args is not null)
        {
            sb.Append('?').Append(r.Args);
        }

        sb.Append(' ').Append(r.Request.Protocol).Append('\n');
        sb.Append("%% ").Append(status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(r.Filename).Append('\n');
        return sb;
    }

    private static void Write(CgiServerConfig conf, StringBuilder sb)
    {
        if (conf.LogName is not { } name)
        {
            return;
        }

        try
        {
            var info = new FileInfo(name);
            if (info.Exists && info.Length > conf.LogLength)
            {
                return;
            }

            // One append write per entry, so entries of parallel children do not interleave.
            using var f = new FileStream(name, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1);
            f.Write(Encoding.Latin1.GetBytes(sb.ToString()));
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
