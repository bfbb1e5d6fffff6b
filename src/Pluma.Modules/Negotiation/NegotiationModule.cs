using System.Collections.Generic;
using Pluma.Config;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Negotiation;

/// <summary>
/// mod_negotiation: content negotiation for Options MultiViews (a type checker that runs
/// before mod_mime's, as Apache's handle_multi is hooked APR_HOOK_FIRST), for type maps (the
/// type-map handler), and the Content-Encoding spelling fixup; LanguagePriority,
/// ForceLanguagePriority and CacheNegotiatedDocs.
/// </summary>
public static class NegotiationModule
{
    public const string Name = "negotiation_module";

    /// <summary>The module name in error-log lines ([negotiation:error]).</summary>
    internal const string LogName = "negotiation";

    public static ModuleDescriptor Descriptor { get; } = new(Name, "mod_negotiation.c",
    [
        new DirectiveDefinition("CacheNegotiatedDocs", DirectiveArgs.Flag, DirectiveScope.RsrcConf, "Either 'on' or 'off' (default)",
            DirectiveBinders.Flag<NegotiationServerConfig>(DirectiveTarget.Server, (c, v) => c.CacheNegotiatedDocs = v)),
        new DirectiveDefinition("LanguagePriority", DirectiveArgs.Iterate, DirectiveScope.OrFileInfo,
            "space-delimited list of MIME language abbreviations", call =>
            {
                NegotiationDirConfig d = call.GetDirRecord<NegotiationDirConfig>();
                (d.LanguagePriority ??= new List<string>()).Add(call.Args[0]);
                return null;
            }),
        new DirectiveDefinition("ForceLanguagePriority", DirectiveArgs.Iterate, DirectiveScope.OrFileInfo,
            "Force LanguagePriority elections, either None, or Fallback and/or Prefer",
            call => call.GetDirRecord<NegotiationDirConfig>().AddForcePriority(call.Args[0])),
    ])
    {
        CreateServerConfig = () => new NegotiationServerConfig(),
        MergeServerConfig = (b, a) => NegotiationServerConfig.Merge((NegotiationServerConfig)b, (NegotiationServerConfig)a),
        CreateDirConfig = _ => new NegotiationDirConfig(),
        MergeDirConfig = (b, a) => NegotiationDirConfig.Merge((NegotiationDirConfig)b, (NegotiationDirConfig)a),
    };

    public static HttpModule Create() => new(Descriptor)
    {
        TypeChecker = MultiViews.TypeChecker,
        TypeCheckerOrder = HttpModule.HookFirst,
        Fixups = EncodingFixup.Run,
        Handler = TypeMapHandler.Handle,
    };

    /// <summary>
    /// mod_dir's DirectoryIndex lookup of a name that is not a file: with MultiViews on and this
    /// module loaded, <paramref name="sub"/> (the index's sub-request, its file missing) is
    /// negotiated and becomes the chosen variant. Returns OK, DECLINED (nothing to negotiate)
    /// or the error status (the 300/406 variant list is left in the notes).
    /// </summary>
    public static int NegotiateIndex(RequestRecord sub) =>
        MayNegotiate(sub) ? MultiViews.Negotiate(sub, mainRequest: false) : HookResult.Declined;

    /// <summary>Whether this module is loaded and Options MultiViews is on for <paramref name="r"/>'s directory.</summary>
    public static bool MayNegotiate(RequestRecord r) =>
        (r.Core.EffectiveOptions & Core.CoreOptions.MultiViews) != 0 && r.Runtime.Find(Name) is not null;

    internal static bool CachesNegotiatedDocs(RequestRecord r) =>
        r.Server.Config.ModuleConfig.Get<NegotiationServerConfig>(Descriptor)?.CacheNegotiatedDocs ?? false;
}
