using System.IO;
using Pluma.Config;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Mime;

/// <summary>
/// mod_mime: content type, charset, encoding, language and handler from the file name's
/// extensions (TypesConfig plus the Add* directives), in the type_checker phase.
/// </summary>
public static class MimeModule
{
    public const string Name = "mime_module";

    [ThreadStatic]
    private static MimeResult? t_result;

    public static HttpModule Create()
    {
        MimeTypes types = MimeTypes.Empty;
        var descriptor = new ModuleDescriptor(Name, "mod_mime.c", Directives)
        {
            CreateServerConfig = () => new MimeServerConfig(),
            MergeServerConfig = (b, a) => MimeServerConfig.Merge((MimeServerConfig)b, (MimeServerConfig)a),
            CreateDirConfig = _ => new MimeDirConfig(),
            MergeDirConfig = (b, a) => MimeDirConfig.Merge((MimeDirConfig)b, (MimeDirConfig)a),
        };
        return new HttpModule(descriptor)
        {
            Initialize = runtime =>
            {
                // mime_post_config: only the main server's TypesConfig is read, once per process.
                types = MimeTypes.Load(TypesConfigPath(runtime.Config, descriptor));
            },
            TypeChecker = r => FindContentType(r, descriptor, types),
        };
    }

    /// <summary>The types file mime_post_config reads: the main server's TypesConfig, else Apache's default under ServerRoot.</summary>
    public static string TypesConfigPath(LoadedConfig config, ModuleDescriptor descriptor) =>
        config.MainServer.ModuleConfig.Get<MimeServerConfig>(descriptor)?.TypesConfig
            ?? Path.Combine(config.ServerRoot, MimeTypes.DefaultPath);

    /// <summary>find_ct (core's ForceType/SetHandler override is applied by the pipeline afterwards).</summary>
    private static int FindContentType(RequestRecord r, ModuleDescriptor descriptor, MimeTypes types)
    {
        if (r.FileInfo.IsDirectory)
        {
            r.ContentType = MimeLookup.DirectoryType;
        }
        else if (r.Filename is not null)
        {
            MimeResult result = t_result ??= new MimeResult();
            result.WantExceptions = r.MimeExceptions is not null;
            MimeLookup.Resolve(r.Filename, r.DirConfig.Get<MimeDirConfig>(descriptor), types, result);
            if (result.WantExceptions)
            {
                // A MultiViews candidate: mod_negotiation reads what was not recognised (none of it when nothing was).
                r.MimeExceptions = result.FoundMetadata ? [.. result.Exceptions] : null;
            }

            if (result.ContentType is not null)
            {
                r.ContentType = result.ContentType;
            }

            if (result.ContentEncoding is not null)
            {
                r.ContentEncoding = result.ContentEncoding;
            }

            if (result.Languages.Count > 0)
            {
                r.ContentLanguages.AddRange(result.Languages);
            }
            if (result.Handler is not null)
            {
                r.Handler = result.Handler;
            }
        }

        return r.ContentType is null ? HookResult.Declined : HookResult.Ok;
    }

    private static DirectiveDefinition[] Directives() =>
    [
        Add("AddCharset", MimeField.Charset, "a charset (e.g., iso-2022-jp), followed by one or more file extensions"),
        Add("AddEncoding", MimeField.Encoding, "an encoding (e.g., gzip), followed by one or more file extensions"),
        Add("AddHandler", MimeField.Handler, "a handler name followed by one or more file extensions"),
        DirectiveDefinition.Pending("AddInputFilter", DirectiveArgs.Iterate2, DirectiveScope.OrFileInfo,
            "input filter name (or ; delimited names) followed by one or more file extensions"),
        Add("AddLanguage", MimeField.Language, "a language (e.g., fr), followed by one or more file extensions"),
        DirectiveDefinition.Pending("AddOutputFilter", DirectiveArgs.Iterate2, DirectiveScope.OrFileInfo,
            "output filter name (or ; delimited names) followed by one or more file extensions"),
        Add("AddType", MimeField.Type, "a mime type followed by one or more file extensions"),
        new("DefaultLanguage", DirectiveArgs.Take1, DirectiveScope.OrFileInfo,
            "language to use for documents with no other language file extension",
            DirectiveBinders.String<MimeDirConfig>(DirectiveTarget.Directory, (c, v) => c.DefaultLanguage = v)),
        new("MultiviewsMatch", DirectiveArgs.Iterate, DirectiveScope.OrFileInfo,
            "NegotiatedOnly (default), Handlers and/or Filters, or Any",
            call => call.GetDirRecord<MimeDirConfig>().AddMultiviewsMatch(call.Args[0])),
        Remove("RemoveCharset", MimeField.Charset),
        Remove("RemoveEncoding", MimeField.Encoding),
        Remove("RemoveHandler", MimeField.Handler),
        DirectiveDefinition.Pending("RemoveInputFilter", DirectiveArgs.Iterate, DirectiveScope.OrFileInfo, "one or more file extensions"),
        Remove("RemoveLanguage", MimeField.Language),
        DirectiveDefinition.Pending("RemoveOutputFilter", DirectiveArgs.Iterate, DirectiveScope.OrFileInfo, "one or more file extensions"),
        Remove("RemoveType", MimeField.Type),
        new("TypesConfig", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "the MIME types config file",
            DirectiveBinders.Path<MimeServerConfig>(DirectiveTarget.Server, (c, v) => c.TypesConfig = v)),
    ];

    private static DirectiveDefinition Add(string name, MimeField field, string help) =>
        new(name, DirectiveArgs.Iterate2, DirectiveScope.OrFileInfo, help, call =>
        {
            call.GetDirRecord<MimeDirConfig>().Add(field, call.Args[0], call.Args[1]);
            return null;
        });

    private static DirectiveDefinition Remove(string name, MimeField field) =>
        new(name, DirectiveArgs.Iterate, DirectiveScope.OrFileInfo, "one or more file extensions", call =>
        {
            call.GetDirRecord<MimeDirConfig>().Remove(field, call.Args[0]);
            return null;
        });
}
