using Pluma.Config;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Expires;

/// <summary>
/// mod_expires: ExpiresActive, ExpiresDefault and ExpiresByType (both code spellings), applied
/// by <see cref="ExpiresHook"/> to the responses of directories where ExpiresActive is On.
/// </summary>
public static class ExpiresModule
{
    public const string Name = "expires_module";

    public static HttpModule Create()
    {
        ModuleDescriptor? self = null;
        var descriptor = new ModuleDescriptor(Name, "mod_expires.c", () =>
        [
            new DirectiveDefinition("ExpiresActive", DirectiveArgs.Flag, DirectiveScope.OrIndexes, "Limited to 'on' or 'off'",
                DirectiveBinders.Flag<ExpiresDirConfig>(DirectiveTarget.Directory, (c, v) => c.Active = v)),
            new DirectiveDefinition("ExpiresByType", DirectiveArgs.Take2, DirectiveScope.OrIndexes,
                "a MIME type followed by an expiry date code", SetByType),
            new DirectiveDefinition("ExpiresDefault", DirectiveArgs.Take1, DirectiveScope.OrIndexes, "an expiry date code", SetDefault),
        ])
        {
            CreateDirConfig = _ => new ExpiresDirConfig(),
            MergeDirConfig = (b, a) => ExpiresDirConfig.Merge((ExpiresDirConfig)b, (ExpiresDirConfig)a),
        };
        self = descriptor;
        return new HttpModule(descriptor) { InsertFilter = r => InsertFilter(r, self) };
    }

    /// <summary>expires_insert_filter: only where ExpiresActive On.</summary>
    private static void InsertFilter(RequestRecord r, ModuleDescriptor descriptor)
    {
        ExpiresDirConfig? config = r.DirConfig.Get<ExpiresDirConfig>(descriptor);
        if (config?.Active == true)
        {
            ExpiresHook.AddTo(r, config);
        }
    }

    private static string? SetByType(DirectiveCall call)
    {
        string type = call.Args[0];
        string code = call.Args[1];
        if (ExpiresCode.Parse(code, out string? error) is not { } parsed)
        {
            return "'" + code + "' " + error;
        }

        call.GetDirRecord<ExpiresDirConfig>().ByType[type] = parsed;
        return null;
    }

    private static string? SetDefault(DirectiveCall call)
    {
        string code = call.Args[0];
        if (ExpiresCode.Parse(code, out string? error) is not { } parsed)
        {
            return "'" + code + "' " + error;
        }

        call.GetDirRecord<ExpiresDirConfig>().Default = parsed;
        return null;
    }
}
