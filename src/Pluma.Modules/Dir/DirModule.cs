using System.Collections.Generic;
using System.IO;
using Pluma.Config;
using Pluma.Http;
using Pluma.Modules.Common;
using Pluma.Modules.Core;
using Pluma.Modules.CoreRequest;
using Pluma.Modules.Hosting;
using Pluma.Modules.Negotiation;

namespace Pluma.Modules.Dir;

/// <summary>
/// mod_dir: in fixups, a directory URI without a trailing slash gets a 301 (DirectorySlash), a
/// directory with one is served by its first existing DirectoryIndex file (an internal fast
/// redirect), and a URI that maps to no file goes to FallbackResource.
/// </summary>
public static class DirModule
{
    public const string Name = "dir_module";

    public static HttpModule Create()
    {
        var descriptor = new ModuleDescriptor(Name, "mod_dir.c", () =>
        [
            new DirectiveDefinition("FallbackResource", DirectiveArgs.Take1, DirectiveScope.OrFileInfo, "Set a default handler",
                DirectiveBinders.String<DirDirConfig>(DirectiveTarget.Directory, (c, v) => c.FallbackResource = v)),
            new DirectiveDefinition("DirectoryIndex", DirectiveArgs.TakeArgv, DirectiveScope.OrIndexes, "a list of file names", AddIndex),
            new DirectiveDefinition("DirectorySlash", DirectiveArgs.Flag, DirectiveScope.OrIndexes, "On or Off",
                DirectiveBinders.Flag<DirDirConfig>(DirectiveTarget.Directory, (c, v) => c.DirectorySlash = v)),
            new DirectiveDefinition("DirectoryCheckHandler", DirectiveArgs.Flag, DirectiveScope.OrIndexes, "On or Off",
                DirectiveBinders.Flag<DirDirConfig>(DirectiveTarget.Directory, (c, v) => c.DirectoryCheckHandler = v)),
            new DirectiveDefinition("DirectoryIndexRedirect", DirectiveArgs.Take1, DirectiveScope.OrIndexes, "On, Off, or a 3xx status code.", SetIndexRedirect),
        ])
        {
            CreateDirConfig = _ => new DirDirConfig(),
            MergeDirConfig = (b, a) => DirDirConfig.Merge((DirDirConfig)b, (DirDirConfig)a),
        };
        return new HttpModule(descriptor) { Fixups = r => DirFixups(r, descriptor) };
    }

    private static int DirFixups(RequestRecord r, ModuleDescriptor descriptor)
    {
        DirDirConfig d = r.DirConfig.Get<DirDirConfig>(descriptor) ?? new DirDirConfig();
        if (r.FileInfo.IsDirectory)
        {
            return FixupDir(r, d);
        }

        if (!r.FileInfo.Exists && r.Handler is null)
        {
            return FixupDefault(r, d);
        }

        return HookResult.Declined;
    }

    private static int FixupDir(RequestRecord r, DirDirConfig d)
    {
        // In case no type checker gave a handler (fixup_dir). With DirectoryCheckHandler On, a
        // directory that another handler (SetHandler) owns is left alone; Off (the default) acts anyway.
        r.Handler ??= DirDefaults.DirectoryHandler;
        if (d.DirectoryCheckHandler == true && r.Handler != DirDefaults.DirectoryHandler)
        {
            return HookResult.Declined;
        }

        if (!string.IsNullOrEmpty(r.PathInfo))
        {
            return HookResult.Declined;
        }

        string? query = r.Args ?? r.Request.QueryString;
        if (r.Uri.Length == 0 || r.Uri[^1] != '/')
        {
            if (d.DirectorySlash == false)
            {
                return HookResult.Declined;
            }

            if (r.Request.MethodNumber is not (HttpMethod.Get or HttpMethod.Head) && r.Environment.ContainsKey("redirect-carefully"))
            {
                return HookResult.Declined;
            }

            r.Response.Headers.Set("Location",
                DirectorySlashRedirect.Location(r.Uri, query, ServerUrl.RequestHost(r), ServerUrl.RequestPort(r), ServerUrl.IsSecure(r)));
            return 301;
        }

        IReadOnlyList<string> names = d.EffectiveIndexNames;
        string dir = r.Filename is null ? string.Empty : (r.Filename.EndsWith('/') ? r.Filename : r.Filename + "/");
        int error = 0;
        foreach (string name in names)
        {
            if (name.StartsWith('/') || name.Contains('/', StringComparison.Ordinal))
            {
                // A name with a path (DirectoryIndex /cgi-bin/index.pl) needs a real sub-request.
                continue;
            }

            string path = dir + name;
            FileStatus st = FileStatus.Of(path);
            if (!st.Exists && NegotiatedIndex(r, r.Uri + name, path) is var negotiated && negotiated != HookResult.Declined)
            {
                // MultiViews chose a variant of the index (index.html.en for index.html), or refused to.
                if (negotiated == HookResult.Ok)
                {
                    return HookResult.Ok;
                }

                error = negotiated;
                continue;
            }

            if (!st.Exists || st.IsDirectory)
            {
                continue;
            }

            if (d.IndexRedirect is int code and >= 300 and < 400)
            {
                r.Response.Headers.Set("Location", ServerUrl.ConstructUrl(r, SelfUrl.EscapePath(r.Uri + name) + (query is null ? string.Empty : "?" + query)));
                return code;
            }

            int status = FastRedirect(r, r.Uri + name, path, st);
            if (status == HookResult.Ok)
            {
                return HookResult.Ok;
            }

            error = status;
        }

        if (error != 0)
        {
            return error;
        }

        // Recorded for mod_autoindex and core's AH01276 message.
        r.Notes["dir-index-names"] = string.Join(',', names);
        return HookResult.Declined;
    }

    /// <summary>
    /// The index name's sub-request negotiated by mod_negotiation (MultiViews) when it names no
    /// file: on a choice the request becomes the variant (the negotiation's Vary and
    /// Content-Location stay, its variant list validator does not, as Apache's fast redirect
    /// leaves it on the sub-request); on a 300/406 the variant list note reaches the request.
    /// </summary>
    private static int NegotiatedIndex(RequestRecord r, string uri, string path)
    {
        if (!NegotiationModule.MayNegotiate(r))
        {
            return HookResult.Declined; // costs nothing where MultiViews is off
        }

        var sub = new RequestRecord(r.Http, r.Runtime, r.Server, uri)
        {
            Filename = path,
            Args = r.Args,
            DirConfig = r.Server.Config.WalkSections(path, isDirectory: false, uri, exists: false),
        };
        int rc = NegotiationModule.NegotiateIndex(sub);
        if (rc == HookResult.Ok)
        {
            return FastRedirect(r, sub.Uri, sub.Filename!, sub.FileInfo);
        }

        if (sub.Notes.TryGetValue("variant-list", out string? list))
        {
            r.Notes["variant-list"] = list;
        }

        return rc;
    }

    private static int FixupDefault(RequestRecord r, DirDirConfig d)
    {
        string? fallback = d.FallbackResource;
        if (fallback is null || fallback.Equals("disabled", StringComparison.OrdinalIgnoreCase))
        {
            return HookResult.Declined;
        }

        string docRoot = r.Filename is not null && r.Uri.Length > 0 && r.Filename.EndsWith(r.Uri, StringComparison.Ordinal)
            ? r.Filename[..^r.Uri.Length]
            : string.Empty;
        string uri = fallback.StartsWith('/') ? fallback : r.Uri[..(r.Uri.LastIndexOf('/') + 1)] + fallback;
        string path = Path.GetFullPath(docRoot + uri);
        FileStatus st = FileStatus.Of(path);
        if (!st.Exists || st.IsDirectory)
        {
            return HookResult.Declined;
        }

        return FastRedirect(r, uri, path, st) == HookResult.Ok ? HookResult.Ok : HookResult.Declined;
    }

    /// <summary>
    /// ap_sub_req_lookup_uri + ap_internal_fast_redirect, done in place: the request takes the
    /// index file's URI, file, sections, access check and type, and (as in Apache) logs as if the
    /// client had asked for it (%U is the index file, no REDIRECT_ variables). The pipeline's
    /// InternalRedirect would chain a new request instead, which is ErrorDocument's behaviour.
    /// Returns OK, or the status the directory walk or the access check answered for the candidate.
    /// </summary>
    private static int FastRedirect(RequestRecord r, string uri, string path, FileStatus st)
    {
        // The sub-request's own directory walk: an index.html that is a link needs the options
        // of its directory (AH00032), as the client's own GET of it would.
        int walk = DirectoryWalk.Check(r, path, isDirectory: false, subrequest: true, out var accessFiles);
        if (walk != HookResult.Ok)
        {
            return walk;
        }

        ModuleConfigVector sections = r.Server.Config.WalkSections(path, isDirectory: false, uri, accessFiles: accessFiles);
        string oldUri = r.Uri;
        string? oldFile = r.Filename;
        FileStatus oldInfo = r.FileInfo;
        ModuleConfigVector oldSections = r.DirConfig;
        r.Uri = uri;
        r.Filename = path;
        r.FileInfo = st;
        r.DirConfig = sections;
        // The candidate keeps the directory's user when its sections are the directory's (request.c).
        int status = ReferenceEquals(sections, oldSections) ? HookResult.Ok : AccessPhase.Run(r);
        if (status != HookResult.Ok)
        {
            (r.Uri, r.Filename, r.FileInfo, r.DirConfig) = (oldUri, oldFile, oldInfo, oldSections);
            return status;
        }

        r.Handler = null;
        r.ContentType = null;
        r.ContentEncoding = null;
        if (r.HasContentLanguages)
        {
            r.ContentLanguages.Clear();
        }
        foreach (HttpModule m in r.Runtime.Modules)
        {
            if (m.TypeChecker is { } type && type(r) != HookResult.Declined)
            {
                break;
            }
        }

        // core's ForceType and SetHandler win, as in the main pipeline.
        if (!string.IsNullOrEmpty(r.Core.ForceType))
        {
            r.ContentType = r.Core.ForceType;
        }

        if (r.Core.SetHandler is { } handler)
        {
            r.Handler = handler.Length == 0 ? null : handler;
        }

        return HookResult.Ok;
    }

    // add_index: words are appended to this section's list; "disabled" must stand alone.
    private static string? AddIndex(DirectiveCall call)
    {
        DirDirConfig d = call.GetDirRecord<DirDirConfig>();
        IReadOnlyList<string> words = call.Args;
        if (words.Count == 0)
        {
            return "DirectoryIndex requires at least one argument";
        }

        // "disabled" alone clears the list; anywhere else it is just a file name.
        d.IndexNames ??= [];
        if (words.Count == 1 && words[0].Equals("disabled", StringComparison.OrdinalIgnoreCase))
        {
            d.IndexNames.Clear();
            return null;
        }

        d.IndexNames.AddRange(words);
        return null;
    }

    private static string? SetIndexRedirect(DirectiveCall call)
    {
        DirDirConfig d = call.GetDirRecord<DirDirConfig>();
        string a = call.Args[0];
        if (a.Equals("on", StringComparison.OrdinalIgnoreCase))
        {
            d.IndexRedirect = 302;
        }
        else if (a.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            d.IndexRedirect = 0;
        }
        else if (a.Equals("permanent", StringComparison.OrdinalIgnoreCase))
        {
            d.IndexRedirect = 301;
        }
        else if (a.Equals("temp", StringComparison.OrdinalIgnoreCase))
        {
            d.IndexRedirect = 302;
        }
        else if (a.Equals("seeother", StringComparison.OrdinalIgnoreCase))
        {
            d.IndexRedirect = 303;
        }
        else if (a.Length > 0 && char.IsAsciiDigit(a[0]) && DirectiveBinders.CAtoi(a) is >= 300 and < 400)
        {
            d.IndexRedirect = DirectiveBinders.CAtoi(a);
        }
        else
        {
            return "DirectoryIndexRedirect ON|OFF|permanent|temp|seeother|3xx";
        }

        return null;
    }
}
