using System.Globalization;
using Pluma.Connections.Diagnostics;
using Pluma.Http;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Script;

/// <summary>
/// A script's header block applied to the response as Apache applies it (the second half of
/// ap_scan_script_header_err_core_ex), with its error lines. Shared by mod_cgi, mod_cgid and
/// proxy_fcgi; the module arguments are the short module name the error log shows.
/// </summary>
public static class ScriptResponse
{
    /// <summary>
    /// Sets status, reason phrase, Content-Type and fields of <paramref name="r"/>'s response from
    /// <paramref name="h"/>. Returns <see cref="HookResult.Ok"/> when the script's body is to be
    /// sent, or 500 (logged) for a malformed block or a status Apache cannot send.
    /// </summary>
    public static int Apply(RequestRecord r, ScriptHeaders h, string module)
    {
        string script = ScriptName(r);
        if (h.MalformedLine is { } bad)
        {
            Log(r, module, "malformed header from script '" + script + "': Bad header: " + Cut(bad));
            return 500;
        }

        if (!h.HasValidStatus)
        {
            Log(r, module, "Invalid status line from script '" + script + "': " + Cut(h.StatusLine ?? string.Empty));
            return 500;
        }

        HttpResponse response = r.Response;
        if (h.Status is int status)
        {
            response.StatusCode = status;

            // r->status_line is used when it begins with the status number: "404 Gone Fishing".
            string line = h.StatusLine!.TrimStart();
            string digits = status.ToString(CultureInfo.InvariantCulture);
            response.ReasonPhrase = line.StartsWith(digits, StringComparison.Ordinal) && line.Length > digits.Length + 1 && line[digits.Length] == ' '
                ? line[(digits.Length + 1)..] : null;
        }

        if (h.ContentType is { } type)
        {
            r.ContentType = type;
            response.ContentType = type;
        }

        if (h.Location is { } location)
        {
            response.Headers.Set("Location", location);
        }

        foreach (var (name, value) in h.Fields)
        {
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long length))
                {
                    response.ContentLength = length;
                }
            }
            else if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                // The engine frames the body itself (chunked or by length), so a script's
                // Transfer-Encoding is not passed on: the body arrives decoded from the pipe.
                response.Headers.Set(name, value);
            }
        }

        foreach (var (name, value) in h.Cookies)
        {
            response.Headers.Add(name, value);
        }

        return HookResult.Ok;
    }

    /// <summary>The output ended before the empty line: Apache's "End of script output before headers" (500).</summary>
    public static int EndedEarly(RequestRecord r, ScriptHeaders h, string module)
    {
        Log(r, module, h.EndOfOutputMessage + ": " + ScriptName(r));
        return 500;
    }

    /// <summary>No header block within Timeout: "Script timed out before returning headers" (504).</summary>
    public static int TimedOut(RequestRecord r, string module)
    {
        Log(r, module, "Script timed out before returning headers: " + ScriptName(r));
        return 504;
    }

    /// <summary>apr_filepath_name_get(r->filename): the script's file name without its directory.</summary>
    public static string ScriptName(RequestRecord r)
    {
        string file = r.Filename ?? string.Empty;
        int slash = file.LastIndexOf('/');
        return slash < 0 ? file : file[(slash + 1)..];
    }

    private static void Log(RequestRecord r, string module, string message) =>
        r.Server.ErrorLog.Write(LogLevel.Error, module, message, LogClient.Of(r));

    /// <summary>"%.30s": Apache quotes at most 30 characters of the offending line.</summary>
    private static string Cut(string s) => s.Length <= 30 ? s : s[..30];
}
