using System.Collections.Generic;
using System.IO;
using Pluma.Connections.Diagnostics;
using Pluma.Http;
using Pluma.Modules.Core;
using Pluma.Modules.CoreRequest;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Negotiation;

/// <summary>
/// Options MultiViews (mod_negotiation.c handle_multi and read_types_multi): a request for a
/// file that does not exist looks in its directory for NAME.* files; each is looked up as a
/// sub-request (directory walk, sections, access, type), and those whose every unrecognised
/// name part is part of the requested name become the variants. The chosen one replaces the
/// request (ap_internal_fast_redirect). A type map among them replaces the list.
/// </summary>
internal static class MultiViews
{
    /// <summary>The type_checker hook (run before mod_mime's): negotiates a missing file where MultiViews is on.</summary>
    public static int TypeChecker(RequestRecord r)
    {
        if (r.FileInfo.Exists || r.Filename is null || (r.Core.EffectiveOptions & CoreOptions.MultiViews) == 0)
        {
            return HookResult.Declined;
        }

        return Negotiate(r, mainRequest: true);
    }

    /// <summary>
    /// Negotiates <paramref name="r"/>'s missing file among its directory's NAME.* files and, on
    /// a choice, turns <paramref name="r"/> into the chosen variant. <paramref name="mainRequest"/>
    /// false is mod_dir's DirectoryIndex sub-request: the fields and the validator are kept only
    /// on success, as its fast redirect copies them only then. Returns OK, DECLINED (no
    /// candidate) or an error status.
    /// </summary>
    public static int Negotiate(RequestRecord r, bool mainRequest)
    {
        NegotiationState neg = NegotiationState.For(r, r.DirConfig.Get<NegotiationDirConfig>(NegotiationModule.Descriptor));
        int rc = ReadTypesMulti(r, neg);
        if (rc != HookResult.Ok)
        {
            return rc;
        }

        if (neg.Variants.Count == 0)
        {
            return HookResult.Declined;
        }

        bool preferScripts = r.Request.MethodNumber is not (HttpMethod.Get or HttpMethod.Head) || r.Args is not null || !string.IsNullOrEmpty(r.PathInfo);
        var headers = new NegotiatedHeaders();
        rc = Negotiator.Run(r, neg, preferScripts, headers, out Variant? best);
        if (rc != HookResult.Ok)
        {
            if (mainRequest)
            {
                headers.ApplyTo(r.Response.Headers);
            }

            return rc;
        }

        RequestRecord? sub = best!.SubRequest ?? LookupVariant(r, neg, best, out rc);
        if (sub is null)
        {
            return rc;
        }

        headers.ApplyTo(r.Response.Headers);
        sub.Args ??= r.Args;
        FastRedirect(sub, r);
        if (mainRequest)
        {
            r.VariantListValidator = neg.VariantListValidator;
        }

        return HookResult.Ok;
    }

    /// <summary>ap_internal_fast_redirect: the request takes the variant's URI, file, configuration and type.</summary>
    private static void FastRedirect(RequestRecord sub, RequestRecord r)
    {
        r.Uri = sub.Uri;
        r.Filename = sub.Filename;
        r.PathInfo = sub.PathInfo;
        r.Args = sub.Args;
        r.FileInfo = sub.FileInfo;
        r.Handler = sub.Handler;
        r.ContentType = sub.ContentType;
        r.ContentEncoding = sub.ContentEncoding;
        if (r.HasContentLanguages)
        {
            r.ContentLanguages.Clear();
        }

        if (sub.HasContentLanguages)
        {
            r.ContentLanguages.AddRange(sub.ContentLanguages);
        }

        r.DirConfig = sub.DirConfig;
        if (sub.HasEnvironment)
        {
            foreach (var (k, v) in sub.Environment)
            {
                r.Environment[k] = v;
            }
        }
    }

    /// <summary>read_types_multi: the directory's candidates as variants (sorted by source quality, then name), or a type map's.</summary>
    private static int ReadTypesMulti(RequestRecord r, NegotiationState neg)
    {
        string file = r.Filename!;
        int slash = file.LastIndexOf('/');
        if (slash < 0 || file[0] != '/')
        {
            return HookResult.Declined;
        }

        string dir = file[..(slash + 1)];
        string prefix = file[(slash + 1)..];
        string uriDir = UriDirectory(r.Uri);
        neg.DirectoryName = dir;
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries(dir);
        }
        catch (DirectoryNotFoundException)
        {
            // A missing directory higher up (/mv/index.html/extra): Pluma's file mapping leaves
            // no path info to negotiate with, so this stays the 404 it was.
            return HookResult.Declined;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            r.Server.ErrorLog.Write(LogLevel.Error, NegotiationModule.LogName, "(13)Permission denied: AH00686: cannot read directory for multi: " + dir, LogClient.Of(r));
            return 403;
        }

        bool anyMatch = false;
        foreach (string path in entries)
        {
            string name = path[(path.LastIndexOf('/') + 1)..];
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || name.Length <= prefix.Length || name[prefix.Length] != '.')
            {
                continue;
            }

            FileStatus link = FileStatus.OfLink(path);
            if (link.IsDirectory)
            {
                continue;
            }

            anyMatch = true;
            FileStatus st = link.IsSymlink ? FileStatus.Of(path) : link;
            if (!st.IsRegular)
            {
                continue;
            }

            RequestRecord? sub = SubRequest(r, uriDir + name, path, st, out int status);
            if (sub?.MimeExceptions is not { } exceptions || !ExceptionsMatch(exceptions, prefix) || status != HookResult.Ok || sub.ContentType is null)
            {
                continue;
            }

            if (sub.ContentType == TypeMapHandler.MagicType || sub.Handler == TypeMapHandler.HandlerName)
            {
                neg.Variants.Clear();
                neg.CountMultiViewsVariants = 0;
                return TypeMapHandler.Read(r, neg, sub.Filename!, sub.FileInfo, out _);
            }

            var v = new Variant { SubRequest = sub, FileName = name, ContentEncoding = sub.ContentEncoding };
            if (sub.HasContentLanguages)
            {
                v.ContentLanguages = [.. sub.ContentLanguages];
            }

            int p = 0;
            v.SetMimeFields(AcceptParser.ParseEntry(sub.ContentType, ref p));
            neg.Variants.Add(v);
            neg.CountMultiViewsVariants++;
        }

        if (anyMatch && neg.Variants.Count == 0)
        {
            r.Server.ErrorLog.Write(LogLevel.Error, NegotiationModule.LogName, "AH00687: Negotiation: discovered file(s) matching request: " + file + " (None could be negotiated).", LogClient.Of(r));
            return 404;
        }

        // The directory's stat stands for the variant list (the walk left it in r->finfo).
        neg.VariantListValidator = Validator(FileStatus.Of(dir.Length > 1 ? dir.TrimEnd('/') : dir), r.Http.StartTime, r, fileTag: false);
        neg.Variants.Sort(static (a, b) => a.SourceQuality != b.SourceQuality
            ? b.SourceQuality.CompareTo(a.SourceQuality)
            : string.CompareOrdinal(a.FileName, b.FileName));
        return HookResult.Ok;
    }

    /// <summary>
    /// Each name part mod_mime did not recognise must be, in order, a part of the requested name:
    /// index.html.foo answers for index.foo or index.html.foo, never index.foo.html.
    /// </summary>
    internal static bool ExceptionsMatch(List<string> exceptions, string requested)
    {
        int next = 0;
        foreach (string segment in requested.Split('.'))
        {
            if (next == exceptions.Count)
            {
                break;
            }

            if (segment == exceptions[next])
            {
                next++;
            }
        }

        return next == exceptions.Count;
    }

    /// <summary>The sub-request for a type map's chosen entry (ap_sub_req_lookup_file relative to the map's directory).</summary>
    public static RequestRecord? LookupVariant(RequestRecord r, NegotiationState neg, Variant v, out int status)
    {
        string path = neg.DirectoryName + v.FileName;
        FileStatus st = FileStatus.Of(path);
        RequestRecord? sub = SubRequest(r, UriDirectory(r.Uri) + v.FileName, path, st, out status);
        return status == HookResult.Ok ? sub : null;
    }

    /// <summary>
    /// A sub-request for a file in the negotiated directory (ap_sub_req_lookup_dirent): its
    /// directory walk, sections, access checkers and type checkers (not this module's), with
    /// mod_mime asked for its exceptions list. Null with the status when the walk refuses it.
    /// </summary>
    private static RequestRecord? SubRequest(RequestRecord r, string uri, string path, FileStatus st, out int status)
    {
        status = DirectoryWalk.Check(r, path, st.IsDirectory, subrequest: true, out var accessFiles);
        if (status != HookResult.Ok)
        {
            return null;
        }

        var sub = new RequestRecord(r.Http, r.Runtime, r.Server, uri)
        {
            Filename = path,
            FileInfo = st,
            DirConfig = r.Server.Config.WalkSections(path, st.IsDirectory, uri, exists: st.Exists, accessFiles: accessFiles),
            MimeExceptions = [],
            IsSubRequest = true,
        };
        // The whole access phase (access_compat, authz_core, authentication), as the sub-request
        // Apache makes for each variant runs it: a variant its sections deny is never chosen.
        int access = AccessPhase.Run(sub, parent: r);
        if (access != HookResult.Ok)
        {
            status = access;
            return sub;
        }

        foreach (HttpModule m in r.Runtime.Modules)
        {
            if (m.TypeChecker is { } type && m.Descriptor != NegotiationModule.Descriptor && type(sub) != HookResult.Declined)
            {
                break;
            }
        }

        // core's ForceType and SetHandler win, as in the main pipeline.
        if (!string.IsNullOrEmpty(sub.Core.ForceType))
        {
            sub.ContentType = sub.Core.ForceType;
        }

        if (sub.Core.SetHandler is { } handler)
        {
            sub.Handler = handler.Length == 0 ? null : handler;
        }

        // A file with a handler and no type is taken for a script.
        if (sub.Handler is not null && sub.ContentType is null)
        {
            sub.ContentType = NegotiationState.CgiMagicType;
        }

        return sub;
    }

    /// <summary>ap_make_dirstr_parent of the URI: everything up to and including its last '/'.</summary>
    internal static string UriDirectory(string uri) => uri[..(uri.LastIndexOf('/') + 1)];

    /// <summary>
    /// set_vlist_validator: an entity tag of what the variant list comes from, weak when it changed
    /// less than a second before the request. A type map's is its file tag (FileETag of its
    /// directory); a directory's (no file in Apache's eyes) is its mtime alone.
    /// </summary>
    internal static string Validator(in FileStatus st, DateTime requestTime, RequestRecord r, bool fileTag)
    {
        if (fileTag)
        {
            Span<byte> tag = stackalloc byte[Pluma.Http.Protocol.EntityTag.MaxLength];
            int n = Pluma.Http.Protocol.EntityTag.Format(tag, r.Core.StaticFileOptions.FileETag, st.Inode, st.Size, st.LastWriteUtc, requestTime);
            return System.Text.Encoding.ASCII.GetString(tag[..n]);
        }

        long mtime = Pluma.Http.Protocol.EntityTag.ToMicroseconds(st.LastWriteUtc);
        bool weak = Pluma.Http.Protocol.EntityTag.ToMicroseconds(requestTime) - mtime <= 1_000_000;
        return (weak ? "W/\"" : "\"") + mtime.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\"";
    }
}
