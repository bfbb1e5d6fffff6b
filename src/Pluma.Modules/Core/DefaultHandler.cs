using System.Buffers;
using System.Globalization;
using System.IO;
using Microsoft.Win32.SafeHandles;
using Pluma.Connections.Diagnostics;
using Pluma.Http.Protocol;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Core;

/// <summary>
/// core's default handler (default_handler in core.c): sends the file a request maps to, with
/// Last-Modified, ETag, conditional requests and ranges, through sendfile(2) for large bodies.
/// </summary>
public static class DefaultHandler
{
    // Files up to this size are read and sent together with the head, in one write.
    private const int InlineLimit = 16 * 1024;

    public static int Handle(RequestRecord r)
    {
        var req = r.Request;
        if (req.Method != "GET" && req.Method != "HEAD")
        {
            if (req.Method == "OPTIONS")
            {
                r.Response.Headers.Set("Allow", "GET,POST,OPTIONS,HEAD");
                r.Response.ContentLength = 0;
                return HookResult.Done;
            }

            if (req.Method != "POST")
            {
                r.Response.Headers.Set("Allow", "GET,POST,OPTIONS,HEAD");
                return 405;
            }

            // POST to a static file: Apache reads and drops the body (sending 100 Continue when
            // asked) and serves the file as for GET.
            req.DiscardBody();
        }

        if (r.Filename is null || !r.FileInfo.Exists)
        {
            r.Server.ErrorLog.Write(LogLevel.Info, "core", "AH00128: File does not exist: " + (r.Filename ?? r.Uri), RequestPipeline.Client(r));
            return 404;
        }

        if (r.FileInfo.IsDirectory)
        {
            r.Server.ErrorLog.Write(LogLevel.Error, "autoindex", "AH01276: Cannot serve directory " + r.Filename + "/: No matching DirectoryIndex (index.html) found, and server-generated directory index forbidden by Options directive", RequestPipeline.Client(r));
            return 403;
        }

        if (!string.IsNullOrEmpty(r.PathInfo))
        {
            // AcceptPathInfo Default: the file handler refuses trailing path information.
            r.Server.ErrorLog.Write(LogLevel.Info, "core", "AH00128: File does not exist: " + r.Filename + r.PathInfo, RequestPipeline.Client(r));
            return 404;
        }

        SafeFileHandle file;
        try
        {
            file = File.OpenHandle(r.Filename, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (UnauthorizedAccessException)
        {
            r.Server.ErrorLog.Write(LogLevel.Error, "core", "AH00132: file permissions deny server access: " + r.Filename, RequestPipeline.Client(r));
            return 403;
        }
        catch (FileNotFoundException)
        {
            return 404;
        }

        using (file)
        {
            return Send(r, file);
        }
    }

    private static int Send(RequestRecord r, SafeFileHandle file)
    {
        FileStatus st = r.FileInfo;
        var response = r.Response;
        response.Headers.Set("Last-Modified", HttpDate.Format(TruncateToSeconds(st.LastWriteUtc)));
        string etag = ETag(st, r.Core.FileETag);
        if (etag.Length > 0)
        {
            response.Headers.Set("ETag", etag);
        }

        response.Headers.Set("Accept-Ranges", "bytes");
        response.ContentType = ContentTypeWithCharset(r);
        int conditional = Conditional(r, st, etag);
        if (conditional != 0)
        {
            return conditional;
        }

        long length = st.Size;
        response.ContentLength = length;
        if (r.Request.IsHead || length == 0)
        {
            return HookResult.Done;
        }

        if (length <= InlineLimit)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent((int)length);
            try
            {
                int got = RandomAccess.Read(file, buffer.AsSpan(0, (int)length), 0);
                response.Write(buffer.AsSpan(0, got));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        else
        {
            response.SendFile(file, 0, length);
        }

        return HookResult.Done;
    }

    /// <summary>304 or 412 when the request's conditions say so, else 0.</summary>
    private static int Conditional(RequestRecord r, FileStatus st, string etag)
    {
        var h = r.Request.Headers;
        string? inm = h["If-None-Match"];
        if (inm is not null)
        {
            if (inm.Trim() == "*" || ContainsTag(inm, etag))
            {
                return 304;
            }

            return 0;
        }

        string? ims = h["If-Modified-Since"];
        if (ims is not null && HttpDate.TryParse(ims, out DateTime since) && TruncateToSeconds(st.LastWriteUtc) <= since)
        {
            return 304;
        }

        return 0;
    }

    private static bool ContainsTag(string list, string etag)
    {
        if (etag.Length == 0)
        {
            return false;
        }

        string strong = etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag;
        foreach (string t in list.Split(','))
        {
            string tag = t.Trim();
            if (tag.StartsWith("W/", StringComparison.Ordinal))
            {
                tag = tag[2..];
            }

            if (tag == strong)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Apache's ETag: hex components joined by '-', by default MTime Size (2.4).</summary>
    internal static string ETag(FileStatus st, string? fileETag)
    {
        bool inode = false, mtime = true, size = true;
        if (!string.IsNullOrEmpty(fileETag))
        {
            foreach (string word in fileETag.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                string w = word.ToLowerInvariant();
                bool on = w[0] != '-';
                string name = w[0] is '+' or '-' ? w[1..] : w;
                if (w[0] is not ('+' or '-'))
                {
                    inode = mtime = size = false;
                    on = true;
                }

                switch (name)
                {
                    case "inode": inode = on; break;
                    case "mtime": mtime = on; break;
                    case "size": size = on; break;
                    case "all": inode = mtime = size = on; break;
                    case "none": inode = mtime = size = false; break;
                }
            }
        }

        if (!inode && !mtime && !size)
        {
            return string.Empty;
        }

        var parts = new System.Collections.Generic.List<string>(3);
        if (inode)
        {
            parts.Add(st.Inode.ToString("x", CultureInfo.InvariantCulture));
        }

        if (size)
        {
            parts.Add(st.Size.ToString("x", CultureInfo.InvariantCulture));
        }

        if (mtime)
        {
            long usec = (st.LastWriteUtc - DateTime.UnixEpoch).Ticks / 10;
            parts.Add(usec.ToString("x", CultureInfo.InvariantCulture));
        }

        return "\"" + string.Join('-', parts) + "\"";
    }

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

    private static DateTime TruncateToSeconds(DateTime t) => new(t.Ticks - (t.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
