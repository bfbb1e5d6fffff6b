using Pluma.Config;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Pending;

/// <summary>
/// Modules Debian enables by default whose behaviour is not built yet: their directive tables
/// are complete (names, contexts, argument shapes and help texts as in Apache) so that Debian's
/// tree loads, and every directive is Pending (the loader warns PL00001 once per name).
/// </summary>
public static class PendingModules
{
    private const DirectiveScope FileInfo = DirectiveScope.OrFileInfo;
    private const DirectiveScope Rsrc = DirectiveScope.RsrcConf;

    /// <summary>All of them, in Debian's (alphabetical) order (access_compat, the auth modules, env and setenvif are built).</summary>
    public static HttpModule[] All() =>
        [Deflate(), Filter()];

    public static HttpModule Deflate() => Make("deflate_module", "mod_deflate.c",
        P("DeflateFilterNote", DirectiveArgs.Take12, Rsrc, "Set a note to report on compression ratio"),
        P("DeflateWindowSize", DirectiveArgs.Take1, Rsrc, "Set the Deflate window size (1-15)"),
        P("DeflateBufferSize", DirectiveArgs.Take1, Rsrc, "Set the Deflate Buffer Size"),
        P("DeflateMemLevel", DirectiveArgs.Take1, Rsrc, "Set the Deflate Memory Level (1-9)"),
        P("DeflateCompressionLevel", DirectiveArgs.Take1, Rsrc, "Set the Deflate Compression Level (1-9)"),
        P("DeflateInflateLimitRequestBody", DirectiveArgs.Take1, DirectiveScope.OrAll, "Set a limit on size of inflated input"),
        P("DeflateInflateRatioLimit", DirectiveArgs.Take1, DirectiveScope.OrAll,
            "Set the inflation ratio limit above which inflation is aborted"),
        P("DeflateInflateRatioBurst", DirectiveArgs.Take1, DirectiveScope.OrAll,
            "Set the maximum number of following inflation ratios above limit"),
        P("DeflateAlterETag", DirectiveArgs.Take1, Rsrc,
            "Set how mod_deflate should modify ETAG response headers: 'AddSuffix' (default), 'NoChange' (2.2.x behavior), 'Remove'"));

    public static HttpModule Filter() => Make("filter_module", "mod_filter.c",
        P("FilterDeclare", DirectiveArgs.Take12, DirectiveScope.OrOptions, "filter-name [filter-type]"),
        P("FilterProvider", DirectiveArgs.Take3, DirectiveScope.OrOptions, "filter-name provider-name match-expression"),
        P("FilterChain", DirectiveArgs.RawArgs, DirectiveScope.OrOptions, "list of filter names with optional [+-=!@]"),
        P("FilterTrace", DirectiveArgs.Take2, Rsrc | DirectiveScope.AccessConf, "filter-name debug-level"),
        P("AddOutputFilterByType", DirectiveArgs.Iterate2, FileInfo, "output filter name followed by one or more content-types"),
        P("FilterProtocol", DirectiveArgs.Take23, DirectiveScope.OrOptions, "filter-name [provider-name] protocol-args"));


    private static DirectiveDefinition P(string name, DirectiveArgs args, DirectiveScope scope, string help) =>
        DirectiveDefinition.Pending(name, args, scope, help);

    private static HttpModule Make(string name, string source, params DirectiveDefinition[] directives) =>
        new(new ModuleDescriptor(name, source, directives));
}
