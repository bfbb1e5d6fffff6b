using System.IO;
using Pluma.Connections.Diagnostics;
using Pluma.Http;
using Pluma.Modules.Core;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.CoreRequest;

/// <summary>
/// core's default handler (default_handler in core.c): sends the file a request maps to. The
/// HTTP side (Last-Modified, ETag, conditional requests, ranges, sendfile) is the engine's
/// <see cref="StaticFileResponder"/>; this is the part that knows files and configuration.
/// </summary>
public static class DefaultHandler
{
    private const string AllowedMethods = "GET,POST,OPTIONS,HEAD";

    public static int Handle(RequestRecord r)
    {
        var req = r.Request;

        // As default_handler does before anything else (ap_discard_request_body): the body is
        // read and dropped, so LimitRequestBody (413) and a bad chunk (400) are answered here
        // whatever the method, and 100 Continue is sent when asked.
        req.DiscardBody();
        if (req.Method != "GET" && req.Method != "HEAD")
        {
            if (req.Method == "OPTIONS")
            {
                // ap_send_http_options answers with the resource's type (mod_mime's, or
                // httpd/unix-directory for a directory) and no body.
                r.Response.ContentType = r.ContentType ?? (r.FileInfo.IsDirectory ? "httpd/unix-directory" : null);
                r.Response.Headers.Set("Allow", AllowedMethods);
                r.Response.ContentLength = 0;
                return HookResult.Done;
            }

            if (req.Method != "POST")
            {
                r.Response.Headers.Set("Allow", AllowedMethods);
                return 405;
            }

            // POST to a static file: served as for GET, its body dropped above.
        }

        if (r.Filename is null || !r.FileInfo.Exists)
        {
            if (r.Filename is not null)
            {
                // A file deleted since it was served: give its descriptor (and its disk space) back.
                OpenFileCache.Forget(r.Filename);
            }

            r.Server.ErrorLog.Write(LogLevel.Info, "core", "AH00128: File does not exist: " + (r.Filename is null ? r.Uri : r.Filename + r.PathInfo), LogClient.Of(r));
            return 404;
        }

        if (r.FileInfo.IsDirectory && !req.IsHead && req.MethodNumber != HttpMethod.Get)
        {
            // mod_autoindex answers GET only; default_handler never serves a directory itself.
            r.Server.ErrorLog.Write(LogLevel.Info, "core", "AH00129: Attempt to serve directory: " + r.Filename, LogClient.Of(r));
            return 404;
        }

        if (r.FileInfo.IsDirectory)
        {
            r.Server.ErrorLog.Write(LogLevel.Error, "autoindex", "AH01276: Cannot serve directory " + r.Filename + "/: No matching DirectoryIndex (index.html) found, and server-generated directory index forbidden by Options directive", LogClient.Of(r));
            return 403;
        }

        if (!string.IsNullOrEmpty(r.PathInfo) && r.Core.AcceptPathInfo != true)
        {
            // AcceptPathInfo Default (the file handler's own preference) or Off: trailing path
            // information is refused; only AcceptPathInfo On serves the file.
            r.Server.ErrorLog.Write(LogLevel.Info, "core", "AH00130: File does not exist: " + r.Filename + r.PathInfo, LogClient.Of(r));
            return 404;
        }

        // A body sent with GET or HEAD is read and dropped before the file goes out (core.c
        // default_handler's ap_discard_request_body), 100 Continue first when the client waits
        // for it, so the connection stays usable. Costs nothing without a body.
        req.DiscardBody();

        OpenFileCache.OpenFile file;
        try
        {
            file = OpenFileCache.Open(r.Filename, r.FileInfo, r.Http.StartTime);
        }
        catch (UnauthorizedAccessException)
        {
            r.Server.ErrorLog.Write(LogLevel.Error, "core", "AH00132: file permissions deny server access: " + r.Filename, LogClient.Of(r));
            return 403;
        }
        catch (FileNotFoundException)
        {
            return 404;
        }

        try
        {
            FileStatus st = r.FileInfo;
            if (r.ContentEncoding is not null)
            {
                r.Response.Headers.Set("Content-Encoding", r.ContentEncoding);
            }

            if (r.HasContentLanguages)
            {
                r.Response.Headers.Set("Content-Language", string.Join(", ", r.ContentLanguages));
            }

            StaticFileResponder.Respond(r.Http, new StaticFile(file.Handle, st.Size, st.LastWriteUtc, st.Inode, ContentTypeWithCharset(r)) { VariantListValidator = r.VariantListValidator, Contents = file.Contents }, r.Core.StaticFileOptions);
            return HookResult.Done;
        }
        finally
        {
            // The cache closes the descriptor once neither it nor any response uses it.
            file.Dispose();
        }
    }

    /// <summary>AddDefaultCharset: text/plain and text/html without a charset get the configured one.</summary>
    private static string? ContentTypeWithCharset(RequestRecord r)
    {
        string? type = r.ContentType;
        string? charset = r.Core.AddDefaultCharset;
        if (type is not null && !string.IsNullOrEmpty(charset)
            && (type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase) || type.StartsWith("text/html", StringComparison.OrdinalIgnoreCase))
            && !type.Contains("charset", StringComparison.OrdinalIgnoreCase))
        {
            return type + "; charset=" + charset;
        }

        return type;
    }
}
