using Pluma.Config;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Rewrite;

/// <summary>
/// mod_rewrite: RewriteEngine, RewriteRule, RewriteCond, RewriteBase, RewriteMap and
/// RewriteOptions in the server, virtual hosts, &lt;Directory&gt; sections and .htaccess files.
/// Its translate_name runs before every other module's (Apache's APR_HOOK_FIRST) and its
/// fixup before the other fixups (mod_dir's DirectoryIndex among them).
/// </summary>
public static class RewriteModule
{
    public const string Name = "rewrite_module";

    public static HttpModule Create()
    {
        var descriptor = new ModuleDescriptor(Name, "mod_rewrite.c", RewriteDirectives.All)
        {
            CreateServerConfig = () => new RewriteServerConfig(),
            MergeServerConfig = (b, a) => RewriteServerConfig.Merge((RewriteServerConfig)b, (RewriteServerConfig)a),
            CreateDirConfig = path => new RewriteDirConfig(path),
            MergeDirConfig = (b, a) => RewriteDirConfig.Merge((RewriteDirConfig)b, (RewriteDirConfig)a),
        };
        return new HttpModule(descriptor)
        {
            TranslateName = r => RewriteHooks.TranslateName(r, descriptor),
            TranslateNameOrder = HttpModule.HookFirst,
            Fixups = r => RewriteHooks.Fixup(r, descriptor),
            FixupsOrder = HttpModule.HookFirst,
        };
    }
}
