using System.IO;
using System.Text;
using Pluma.Connections.Diagnostics;
using Pluma.Http;
using Pluma.Http.Protocol;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Negotiation;

/// <summary>
/// The type-map handler (mod_negotiation.c handle_map_file): negotiates among a .var file's
/// entries, then serves a Body: entry from the map itself or internally redirects to the
/// chosen entry's URI.
/// </summary>
internal static class TypeMapHandler
{
    /// <summary>AddHandler type-map .var.</summary>
    public const string HandlerName = "type-map";

    /// <summary>The content type that makes a file a type map without a handler (MAP_FILE_MAGIC_TYPE).</summary>
    public const string MagicType = "application/x-type-map";

    public static int Handle(RequestRecord r)
    {
        string? handler = r.Handler ?? r.ContentType;
        if (handler is not (HandlerName or MagicType) || r.Filename is null)
        {
            return HookResult.Declined;
        }

        NegotiationState neg = NegotiationState.For(r, r.DirConfig.Get<NegotiationDirConfig>(NegotiationModule.Descriptor));
        int rc = Read(r, neg, r.Filename, r.FileInfo, out byte[]? map);
        if (rc != HookResult.Ok)
        {
            return rc;
        }

        var headers = new NegotiatedHeaders();
        rc = Negotiator.Run(r, neg, preferScripts: false, headers, out Variant? best);
        headers.ApplyTo(r.Response.Headers);
        if (rc != HookResult.Ok)
        {
            return rc;
        }

        if (best!.HasBody)
        {
            return SendBody(r, neg, best, map!);
        }

        // Served as if the client had asked for the entry's URI, with the map's validator.
        r.VariantListValidator = neg.VariantListValidator;
        string mapUri = r.PathInfo is { Length: > 0 } pathInfo && r.Uri.EndsWith(pathInfo, StringComparison.Ordinal) ? r.Uri[..^pathInfo.Length] : r.Uri;
        return r.InternalRedirect(MultiViews.UriDirectory(mapUri) + best.FileName + r.PathInfo, r.Args);
    }

    /// <summary>
    /// read_type_map: the variants of the map at <paramref name="path"/> into <paramref name="neg"/>
    /// (its bytes in <paramref name="map"/>, for Body: entries). A map that cannot be opened is 404
    /// or 403 (AH00683); a header without ':' or value is 500; other errors end the reading.
    /// </summary>
    public static int Read(RequestRecord r, NegotiationState neg, string path, in FileStatus st, out byte[]? map)
    {
        neg.CountMultiViewsVariants = 0;
        neg.DirectoryName = r.Filename is { } f ? f[..(f.LastIndexOf('/') + 1)] : string.Empty;
        try
        {
            map = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            map = null;
            bool missing = e is FileNotFoundException or DirectoryNotFoundException;
            r.Server.ErrorLog.Write(LogLevel.Error, NegotiationModule.LogName,
                (missing ? "(2)No such file or directory" : "(13)Permission denied") + ": AH00683: cannot access type map file: " + path, LogClient.Of(r));
            return missing ? 404 : 403;
        }

        TypeMap parsed = TypeMap.Parse(Encoding.Latin1.GetString(map), path);
        if (parsed.Error is { } error)
        {
            r.Server.ErrorLog.Write(LogLevel.Error, NegotiationModule.LogName, error, LogClient.Of(r));
            if (parsed.IsFatal)
            {
                return 500;
            }
        }

        neg.Variants.AddRange(parsed.Variants);
        neg.VariantListValidator = MultiViews.Validator(st, r.Http.StartTime, r, fileTag: true);
        return HookResult.Ok;
    }

    /// <summary>A Body: entry: its bytes from the map, with the negotiated type, language and encoding (no validators).</summary>
    private static int SendBody(RequestRecord r, NegotiationState neg, Variant best, byte[] map)
    {
        HttpResponse response = r.Response;
        if (r.Request.MethodNumber is not (HttpMethod.Get or HttpMethod.Head or HttpMethod.Post))
        {
            response.Headers.Set("Allow", "GET,POST,OPTIONS,HEAD");
            return 405;
        }

        response.Headers.Set("Accept-Ranges", "bytes");
        if (neg.NoCache)
        {
            // r->no_cache: an HTTP/1.0 cache must not keep a negotiated answer.
            response.Headers.Set("Expires", HttpDate.Format(r.Http.StartTime));
        }

        if (best.MimeType.Length > 0)
        {
            response.ContentType = best.ContentCharset.Length > 0 ? best.MimeType + "; charset=" + best.ContentCharset : best.MimeType;
        }

        if (best.ContentLanguages is { Count: > 0 } languages)
        {
            response.Headers.Set("Content-Language", string.Join(", ", languages));
        }

        if (!string.IsNullOrEmpty(best.ContentEncoding))
        {
            response.Headers.Set("Content-Encoding", best.ContentEncoding);
        }

        if (r.Request.MethodNumber == HttpMethod.Post)
        {
            r.Request.DiscardBody();
        }

        int length = (int)Math.Min(best.Bytes, map.Length - best.BodyOffset);
        response.ContentLength = length;
        if (!r.Request.IsHead)
        {
            response.Write(map.AsSpan((int)best.BodyOffset, length));
        }

        return HookResult.Done;
    }
}
