using System.Globalization;
using System.IO;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Rewrite;

/// <summary>
/// mod_rewrite's look-ahead sub-requests: RewriteCond -U (the URL would be served: a URI
/// look-up below 400), -F (the file would be served: a file look-up below 300 whose file
/// exists) and the %{LA-U:NAME} / %{LA-F:NAME} variables, read in the look-up's context. A
/// look-up runs the phases up to the fixups, never a handler; within a look-up for the same
/// URI none is made (subreq_ok), so a rule cannot look itself up for ever.
/// </summary>
internal static class RewriteLookahead
{
    /// <summary>subreq_ok: not in a sub-request, or in one for another URI than its main request's.</summary>
    public static bool SubRequestAllowed(RequestRecord r) => r.Main is null || !string.Equals(r.Main.Uri, r.Uri, StringComparison.Ordinal);

    public static bool UrlIsServed(string input, RewriteContext ctx)
    {
        RequestRecord r = ctx.Request;
        if (input.Length == 0 || !SubRequestAllowed(r))
        {
            return false;
        }

        int status = r.LookupUri(input, out _);
        RewriteLog.Trace(r, 5, null, "RewriteCond URI (-U) check: path=" + input + " -> status=" + status.ToString(CultureInfo.InvariantCulture));
        return status < 400;
    }

    public static bool FileIsServed(string input, RewriteContext ctx)
    {
        RequestRecord r = ctx.Request;
        if (input.Length == 0 || !SubRequestAllowed(r))
        {
            return false;
        }

        int status = r.LookupFile(input, out RequestRecord sub);
        bool rc = status < 300 && sub.Filename is { } file && (File.Exists(file) || Directory.Exists(file));
        RewriteLog.Trace(r, 5, null, "RewriteCond file (-F) check: path=" + input + " -> file=" + sub.Filename + " status=" + status.ToString(CultureInfo.InvariantCulture));
        return rc;
    }

    /// <summary>%{LA-U:NAME} and %{LA-F:NAME}: NAME as the look-up of the current URI sees it.</summary>
    public static string Variable(string name, RewriteContext ctx)
    {
        RequestRecord r = ctx.Request;
        string var = name[5..];
        if (ctx.Uri.Length == 0 || !SubRequestAllowed(r))
        {
            return string.Empty;
        }

        string path = ctx.Uri;
        RequestRecord sub;
        if (char.ToUpperInvariant(name[3]) == 'U')
        {
            // la_u: a per-directory path is made a URL with RewriteBase (else the directory).
            if (ctx.PerDir is not null && !path.StartsWith('/'))
            {
                path = (ctx.BaseUrl ?? ctx.PerDir) + path;
            }

            r.LookupUri(path, out sub);
        }
        else if (ctx.PerDir is not null && path.StartsWith('/'))
        {
            r.LookupUri(path, out sub); // no file path is known for it: as LA-U
        }
        else
        {
            if (ctx.PerDir is not null)
            {
                path = ctx.PerDir + path;
            }

            r.LookupFile(path, out sub);
        }

        var subCtx = new RewriteContext(sub, ctx.PerDir, ctx.Server) { Uri = ctx.Uri, BaseUrl = ctx.BaseUrl };
        string value = RewriteVariables.Lookup(var, subCtx);
        RewriteLog.Trace(r, 5, ctx.PerDir, "lookahead: path=" + path + " var=" + var + " -> val=" + value);
        return value;
    }
}
