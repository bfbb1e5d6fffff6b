using System.Collections.Generic;
using System.IO;
using System.Text;
using Pluma.Config;
using Pluma.Connections.Diagnostics;
using Pluma.Http;
using Pluma.Modules.Common;
using Pluma.Modules.Core;
using Pluma.Modules.CoreRequest;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Autoindex;

/// <summary>
/// mod_autoindex: the directory listing for a directory request that no DirectoryIndex file
/// served, when Options Indexes allows it (403 with AH01276 otherwise).
/// </summary>
public static class AutoindexModule
{
    public const string Name = "autoindex_module";

    private const string DirMagicType = "httpd/unix-directory";

    public static HttpModule Create()
    {
        var descriptor = new ModuleDescriptor(Name, "mod_autoindex.c", Directives)
        {
            CreateDirConfig = _ => new AutoindexDirConfig(),
            MergeDirConfig = (b, a) => AutoindexDirConfig.Merge((AutoindexDirConfig)b, (AutoindexDirConfig)a),
        };
        return new HttpModule(descriptor) { Handler = r => Handle(r, descriptor), HandlerOrder = 10 };
    }

    private static int Handle(RequestRecord r, ModuleDescriptor descriptor)
    {
        if ((r.Handler is not null && r.Handler != DirMagicType && r.Handler != "default-handler") || !r.FileInfo.IsDirectory)
        {
            return HookResult.Declined;
        }

        if (r.Request.MethodNumber != HttpMethod.Get && r.Request.MethodNumber != HttpMethod.Head)
        {
            return HookResult.Declined;
        }

        string dir = r.Filename!.EndsWith('/') ? r.Filename : r.Filename + "/";
        if ((r.Core.EffectiveOptions & CoreOptions.Indexes) == 0)
        {
            string names = r.Notes.TryGetValue("dir-index-names", out string? n) ? n : "index.html";
            r.Server.ErrorLog.Write(LogLevel.Error, "autoindex",
                "AH01276: Cannot serve directory " + dir + ": No matching DirectoryIndex (" + names + ") found, and server-generated directory index forbidden by Options directive",
                Client(r));
            return 403;
        }

        AutoindexDirConfig d = r.DirConfig.Get<AutoindexDirConfig>(descriptor) ?? new AutoindexDirConfig();
        IndexOptions options = d.EffectiveOptions;
        var fallback = new IndexSort(d.DefaultKey ?? 'N', d.DefaultDirection ?? 'A');
        IndexSort sort = (options & IndexOptions.IgnoreClient) != 0 ? fallback : IndexSort.Parse(r.Args ?? r.Request.QueryString, fallback);
        string? listFormat = null;
        if ((options & IndexOptions.IgnoreClient) == 0)
        {
            (options, listFormat) = IndexSort.ApplyFormat(r.Args ?? r.Request.QueryString, options);
        }

        List<IndexEntry> entries;
        try
        {
            entries = ReadEntries(r, d, options, dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            r.Server.ErrorLog.Write(LogLevel.Error, "autoindex", "AH01275: Can't open directory for index: " + r.Filename, Client(r));
            return 403;
        }

        sort.Sort(entries, options);
        if (Parent(r, d, options, dir) is { } parent)
        {
            entries.Insert(0, parent);
        }

        (string? headerHtml, string? headerText) = Companion(r, dir, d.HeaderName);
        (string? readmeHtml, string? readmeText) = Companion(r, dir, d.ReadmeName);
        var signature = new StringBuilder();
        HttpErrorPages.AppendSignature(signature, r.Http.Identity, ServerUrl.RequestHost(r), ServerUrl.RequestPort(r));
        string sig = signature.ToString();
        var model = new IndexPageModel
        {
            Uri = r.Uri,
            Entries = entries,
            Options = options,
            Sort = sort,
            ColumnArgs = listFormat is null ? string.Empty : ";F=" + listFormat,
            BlankIcon = IconLookup.Find(d.Icons, null, null, IconLookup.BlankIcon, true),
            DefaultIcon = d.DefaultIcon,
            IconWidth = d.IconWidth,
            IconHeight = d.IconHeight,
            NameWidth = d.NameWidth,
            DescriptionWidth = d.DescriptionWidth,
            HeaderHtml = headerHtml,
            HeaderText = headerText,
            ReadmeHtml = readmeHtml,
            ReadmeText = readmeText,
            HeadInsert = d.HeadInsert,
            StyleSheet = d.StyleSheet,
            Signature = sig.StartsWith("<hr>\n", StringComparison.Ordinal) ? sig[5..] : sig,
        };
        r.Response.ContentType = (d.ContentType ?? "text/html") + ";charset=" + (d.Charset ?? "ISO-8859-1");
        if (r.Request.IsHead)
        {
            // index_directory stops after the content type on HEAD (r->header_only): no body is
            // generated, so no Content-Length is sent either.
            return HookResult.Done;
        }

        byte[] body = Encoding.UTF8.GetBytes(IndexPage.Render(model));
        GeneratedBodyResponder.Respond(r.Http, body, r.Core.StaticFileOptions.Ranges);
        return HookResult.Done;
    }

    private static List<IndexEntry> ReadEntries(RequestRecord r, AutoindexDirConfig d, IndexOptions options, string dir)
    {
        var list = new List<IndexEntry>();
        bool icons = (options & (IndexOptions.FancyIndexing | IndexOptions.HtmlTable)) != 0;
        foreach (FileSystemInfo info in new DirectoryInfo(dir).EnumerateFileSystemInfos())
        {
            string name = info.Name;
            string path = dir + name;
            if (IconLookup.IsIgnored(d.Ignore, path))
            {
                continue;
            }

            FileStatus st = FileStatus.Of(path);
            if (!st.Exists)
            {
                continue;
            }

            string uri = r.Uri + name + (st.IsDirectory ? "/" : string.Empty);
            RequestRecord? sub = SubRequest(r, uri, path, st, out int status);
            if (sub is null && ((options & IndexOptions.ShowForbidden) == 0 || status is not (401 or 403)))
            {
                // Hidden as Apache hides an entry whose sub-request failed; ShowForbidden only
                // lists the ones refused with 401 or 403.
                continue;
            }

            string? icon = null, alt = null;
            if (icons)
            {
                if (st.IsDirectory)
                {
                    icon = IconLookup.Find(d.Icons, null, null, path, true) ?? IconLookup.Find(d.Icons, null, null, IconLookup.Directory, true);
                    alt = IconLookup.Find(d.Alts, null, null, path, true) ?? IconLookup.Find(d.Alts, null, null, IconLookup.Directory, true) ?? "DIR";
                }
                else
                {
                    string? type = sub?.ContentType is { } t ? NoParam(t) : null;
                    icon = IconLookup.Find(d.Icons, type, sub?.ContentEncoding, path, false);
                    alt = IconLookup.Find(d.Alts, type, sub?.ContentEncoding, path, false);
                }
            }

            list.Add(new IndexEntry(st.IsDirectory ? name + "/" : name, st.IsDirectory, st.IsDirectory ? -1 : st.Size,
                new DateTimeOffset(st.LastWriteUtc, TimeSpan.Zero).ToLocalTime())
            {
                Icon = icon,
                Alt = alt,
                Description = FindDescription(d, path),
            });
        }

        return list;
    }

    // make_parent_entry: none at the root; "/x/.." is what IndexIgnore and the icon rules see.
    private static IndexEntry? Parent(RequestRecord r, AutoindexDirConfig d, IndexOptions options, string dir)
    {
        string uri = r.Uri.TrimEnd('/');
        if (uri.Length == 0)
        {
            return null;
        }

        string parentUri = uri[..(uri.LastIndexOf('/') + 1)];
        string testPath = dir + "..";
        if (IconLookup.IsIgnored(d.Ignore, testPath))
        {
            return null;
        }

        string? icon = null, alt = null;
        if ((options & IndexOptions.FancyIndexing) != 0)
        {
            icon = IconLookup.Find(d.Icons, null, null, testPath, true) ?? IconLookup.Find(d.Icons, null, null, IconLookup.Directory, true);
            alt = IconLookup.Find(d.Alts, null, null, testPath, true) ?? IconLookup.Find(d.Alts, null, null, IconLookup.Directory, true) ?? "PARENTDIR";
        }

        return new IndexEntry(parentUri, true, -1, null) { Icon = icon, Alt = alt, Description = FindDescription(d, testPath) };
    }

    /// <summary>
    /// A sub-request for one entry, as ap_sub_req_lookup_dirent: its directory walk (a link needs
    /// the listed directory's FollowSymLinks, a subdirectory's access files are looked for), its
    /// sections, access check and type. Null, with the refusing status, when the walk or the access
    /// check refuses it (the entry is then hidden, unless ShowForbidden).
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
            DirConfig = r.Server.Config.WalkSections(path, st.IsDirectory, uri, accessFiles: accessFiles),
            Previous = null,
            IsSubRequest = true,
        };
        int rc = AccessPhase.Run(sub, parent: r);
        if (rc != HookResult.Ok)
        {
            status = rc;
            return null;
        }

        foreach (HttpModule m in r.Runtime.Modules)
        {
            if (m.TypeChecker is { } type && type(sub) != HookResult.Declined)
            {
                break;
            }
        }

        if (!string.IsNullOrEmpty(sub.Core.ForceType))
        {
            sub.ContentType = sub.Core.ForceType;
        }

        return sub;
    }

    // HeaderName/ReadmeName: a text/html file is inserted as is, other text/* inside <pre>.
    private static (string? Html, string? Text) Companion(RequestRecord r, string dir, string? name)
    {
        if (name is null)
        {
            return (null, null);
        }

        string path = name.StartsWith('/') ? Path.Combine(DocumentRootOf(r, dir), name.TrimStart('/')) : dir + name;
        FileStatus st = FileStatus.Of(path);
        if (!st.Exists || st.IsDirectory)
        {
            return (null, null);
        }

        // Through the sub-request's walk and access check only: a HeaderName or ReadmeName that is
        // a link the directory's Options refuse is left out, as Apache's sub-request fails.
        RequestRecord? sub = SubRequest(r, name.StartsWith('/') ? name : r.Uri + name, path, st, out _);
        string? type = sub?.ContentType is { } t ? NoParam(t) : null;
        if (type is null)
        {
            return (null, null);
        }

        try
        {
            if (type is "text/html" or "application/xhtml+xml")
            {
                return (File.ReadAllText(path), null);
            }

            return type.StartsWith("text/", StringComparison.OrdinalIgnoreCase) ? (null, File.ReadAllText(path)) : (null, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, null);
        }
    }

    private static string DocumentRootOf(RequestRecord r, string dir)
    {
        string uri = r.Uri.EndsWith('/') ? r.Uri : r.Uri + "/";
        return dir.EndsWith(uri, StringComparison.Ordinal) ? dir[..^uri.Length] + "/" : dir;
    }

    // find_desc: a pattern with '/' matches the full path, one with wildcards the name, else the name exactly.
    private static string? FindDescription(AutoindexDirConfig d, string path)
    {
        int slash = path.LastIndexOf('/');
        string name = path[(slash + 1)..];
        foreach (IconRule rule in d.Descriptions)
        {
            if (!ApacheMatch.Matches(path, rule.ApplyPath))
            {
                continue;
            }

            string p = rule.ApplyTo;
            bool hit = p.Contains('/', StringComparison.Ordinal) ? ApacheMatch.Matches(path, p)
                : ApacheMatch.IsPattern(p) ? ApacheMatch.Matches(name, p)
                : name == p;
            if (hit)
            {
                return rule.Data;
            }
        }

        return null;
    }

    private static string NoParam(string type)
    {
        int semi = type.IndexOf(';', StringComparison.Ordinal);
        return (semi < 0 ? type : type[..semi]).Trim();
    }

    private static string Client(RequestRecord r) => r.Request.RemoteEndPoint.Address + ":" + r.Request.RemoteEndPoint.Port;

    private static DirectiveDefinition[] Directives() =>
    [
        new("IndexIgnore", DirectiveArgs.Iterate, DirectiveScope.OrIndexes, "one or more file extensions", call =>
        {
            call.GetDirRecord<AutoindexDirConfig>().Ignore.Add(new IconRule(IconRuleKind.ByPath, call.Args[0], (call.SectionPath ?? string.Empty) + "*", string.Empty));
            return null;
        }),
        new("IndexIgnoreReset", DirectiveArgs.Flag, DirectiveScope.OrIndexes, "Reset the inherited list of IndexIgnore filenames",
            DirectiveBinders.Flag<AutoindexDirConfig>(DirectiveTarget.Directory, (c, v) => c.IgnoreReset = v)),
        Icon("AddIcon", IconRuleKind.ByPath, "an icon URL followed by one or more filenames"),
        Icon("AddIconByType", IconRuleKind.ByType, "an icon URL followed by one or more MIME types"),
        Icon("AddIconByEncoding", IconRuleKind.ByEncoding, "an icon URL followed by one or more content encodings"),
        Alt("AddAlt", IconRuleKind.ByPath, "alternate descriptive text followed by one or more filenames"),
        Alt("AddAltByType", IconRuleKind.ByType, "alternate descriptive text followed by one or more MIME types"),
        Alt("AddAltByEncoding", IconRuleKind.ByEncoding, "alternate descriptive text followed by one or more content encodings"),
        new("IndexOptions", DirectiveArgs.TakeArgv, DirectiveScope.OrIndexes, "one or more index options [+|-][]",
            call => IndexOptionsParser.Apply(call.GetDirRecord<AutoindexDirConfig>(), call.Args)),
        new("IndexOrderDefault", DirectiveArgs.Take2, DirectiveScope.OrIndexes, "{Ascending,Descending} {Name,Size,Description,Date}", SetOrder),
        new("IndexHeadInsert", DirectiveArgs.Take1, DirectiveScope.OrIndexes, "String to insert in HTML HEAD section",
            DirectiveBinders.String<AutoindexDirConfig>(DirectiveTarget.Directory, (c, v) => c.HeadInsert = v)),
        new("AddDescription", DirectiveArgs.Iterate2, DirectiveScope.OrIndexes, "Descriptive text followed by one or more filenames", call =>
        {
            call.GetDirRecord<AutoindexDirConfig>().Descriptions.Add(new IconRule(IconRuleKind.ByPath, call.Args[1], (call.SectionPath ?? string.Empty) + "*", call.Args[0]));
            return null;
        }),
        new("HeaderName", DirectiveArgs.Take1, DirectiveScope.OrIndexes, "a filename",
            DirectiveBinders.String<AutoindexDirConfig>(DirectiveTarget.Directory, (c, v) => c.HeaderName = v)),
        new("ReadmeName", DirectiveArgs.Take1, DirectiveScope.OrIndexes, "a filename",
            DirectiveBinders.String<AutoindexDirConfig>(DirectiveTarget.Directory, (c, v) => c.ReadmeName = v)),
        DirectiveDefinition.Pending("FancyIndexing", DirectiveArgs.Flag, DirectiveScope.OrIndexes,
            "The FancyIndexing directive is no longer supported. Use IndexOptions FancyIndexing."),
        new("DefaultIcon", DirectiveArgs.Take1, DirectiveScope.OrIndexes, "an icon URL",
            DirectiveBinders.String<AutoindexDirConfig>(DirectiveTarget.Directory, (c, v) => c.DefaultIcon = v)),
        new("IndexStyleSheet", DirectiveArgs.Take1, DirectiveScope.OrIndexes, "URL to style sheet",
            DirectiveBinders.String<AutoindexDirConfig>(DirectiveTarget.Directory, (c, v) => c.StyleSheet = v)),
    ];

    // add_icon: "(ALT,url)" also adds an alt rule; **DIRECTORY** is the old spelling of ^^DIRECTORY^^.
    private static DirectiveDefinition Icon(string name, IconRuleKind kind, string help) =>
        new(name, DirectiveArgs.Iterate2, DirectiveScope.OrIndexes, help, call =>
        {
            AutoindexDirConfig d = call.GetDirRecord<AutoindexDirConfig>();
            string icon = call.Args[0];
            string to = Target(kind, call.Args[1]);
            if (icon.StartsWith('('))
            {
                int close = icon.IndexOf(')', StringComparison.Ordinal);
                if (close < 0)
                {
                    return "missing closing paren";
                }

                int comma = icon.IndexOf(',', StringComparison.Ordinal);
                string alt = comma < 0 || comma > close ? icon[1..close] : icon[1..comma];
                d.Alts.Add(IconRule.Create(kind, to, call.SectionPath, alt));
                icon = comma < 0 || comma > close ? string.Empty : icon[(comma + 1)..close];
            }

            d.Icons.Add(IconRule.Create(kind, to, call.SectionPath, icon));
            return null;
        });

    private static DirectiveDefinition Alt(string name, IconRuleKind kind, string help) =>
        new(name, DirectiveArgs.Iterate2, DirectiveScope.OrIndexes, help, call =>
        {
            call.GetDirRecord<AutoindexDirConfig>().Alts.Add(IconRule.Create(kind, Target(kind, call.Args[1]), call.SectionPath, call.Args[0]));
            return null;
        });

    private static string Target(IconRuleKind kind, string to) => kind switch
    {
        IconRuleKind.ByPath when to == "**DIRECTORY**" => IconLookup.Directory,
        IconRuleKind.ByEncoding => to.ToLowerInvariant(),
        _ => to,
    };

    private static string? SetOrder(DirectiveCall call)
    {
        AutoindexDirConfig d = call.GetDirRecord<AutoindexDirConfig>();
        string dir = call.Args[0], key = call.Args[1];
        if (dir.Equals("Ascending", StringComparison.OrdinalIgnoreCase))
        {
            d.DefaultDirection = 'A';
        }
        else if (dir.Equals("Descending", StringComparison.OrdinalIgnoreCase))
        {
            d.DefaultDirection = 'D';
        }
        else
        {
            return "First keyword must be 'Ascending' or 'Descending'";
        }

        d.DefaultKey = key.ToLowerInvariant() switch
        {
            "name" => 'N',
            "date" => 'M',
            "size" => 'S',
            "description" => 'D',
            _ => null,
        };
        return d.DefaultKey is null ? "Second keyword must be 'Name', 'Date', 'Size', or 'Description'" : null;
    }
}
