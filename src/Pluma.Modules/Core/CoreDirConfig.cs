using System.Collections.Generic;
using Pluma.Http;
using Pluma.Http.Protocol;

namespace Pluma.Modules.Core;

/// <summary>The Options flags (core.h OPT_*).</summary>
[Flags]
public enum CoreOptions
{
    None = 0,
    Indexes = 1,
    Includes = 2,
    FollowSymLinks = 4,
    ExecCgi = 8,
    IncludesNoExec = 16,
    SymLinksIfOwnerMatch = 32,
    MultiViews = 64,
    /// <summary>Apache's "All": everything but MultiViews.</summary>
    All = Indexes | Includes | FollowSymLinks | ExecCgi | SymLinksIfOwnerMatch,
}

/// <summary>
/// core's per-directory record (Apache's core_dir_config). Null means "not set here", so merging
/// takes the outer section's value.
/// </summary>
public sealed class CoreDirConfig
{
    /// <summary>The Options in force; Apache's default is FollowSymLinks (2.4).</summary>
    public CoreOptions? Options { get; set; }

    /// <summary>+/- changes to apply over the inherited Options.</summary>
    public CoreOptions OptionsAdd { get; set; }

    public CoreOptions OptionsRemove { get; set; }

    /// <summary>AllowOverride as read (with its Options=... mask and Nonfatal bits), or null where not set.</summary>
    public Pluma.Config.AccessFileOverrides? AllowOverride { get; set; }

    /// <summary>The directives AllowOverrideList names, or null where not set ("None" alone leaves it unset).</summary>
    public IReadOnlyList<string>? AllowOverrideList { get; set; }

    /// <summary>ErrorDocument status → URL, local path or "text".</summary>
    public Dictionary<int, string> ErrorDocuments { get; } = [];

    /// <summary>AddDefaultCharset: null = not set, "" = Off, else the charset.</summary>
    public string? AddDefaultCharset { get; set; }

    /// <summary>FileETag as written here (+/- relative to the enclosing section); 2.4's default is MTime Size.</summary>
    public FileETagSetting FileETag { get; set; }

    /// <summary>EnableSendfile: null = not set (Off, Apache's default).</summary>
    public bool? EnableSendfile { get; set; }

    public long? LimitRequestBody { get; set; }

    /// <summary>MaxRanges, MaxRangeOverlaps, MaxRangeReversals: 0 none, -1 unlimited (RangeLimits).</summary>
    public int? MaxRanges { get; set; }

    public int? MaxRangeOverlaps { get; set; }

    public int? MaxRangeReversals { get; set; }

    /// <summary>AcceptPathInfo: true On, false Off, null Default (each handler's preference) or not set.</summary>
    public bool? AcceptPathInfo { get; set; }

    /// <summary>Whether AcceptPathInfo was written here (Default included), so that it replaces the enclosing value.</summary>
    public bool AcceptPathInfoSet { get; set; }

    /// <summary>SetHandler (core in 2.4).</summary>
    public string? SetHandler { get; set; }

    /// <summary>ForceType (core in 2.4).</summary>
    public string? ForceType { get; set; }

    public string? ServerSignature { get; set; }

    /// <summary>What the static-file responder needs from this directory's settings (computed once per merged record).</summary>
    public StaticFileOptions StaticFileOptions => _staticFileOptions ??= new StaticFileOptions
    {
        FileETag = FileETag.Effective,
        Ranges = new RangeLimits(
            MaxRanges ?? RangeLimits.Default.MaxRanges,
            MaxRangeOverlaps ?? RangeLimits.Default.MaxOverlaps,
            MaxRangeReversals ?? RangeLimits.Default.MaxReversals),
        EnableSendfile = EnableSendfile ?? false,
    };

    private StaticFileOptions? _staticFileOptions;

    /// <summary>The effective Options after applying the +/- changes.</summary>
    public CoreOptions EffectiveOptions => ((Options ?? CoreOptions.FollowSymLinks) | OptionsAdd) & ~OptionsRemove;

    public static CoreDirConfig Merge(CoreDirConfig parent, CoreDirConfig child)
    {
        var m = new CoreDirConfig
        {
            AllowOverride = child.AllowOverride ?? parent.AllowOverride,
            AllowOverrideList = child.AllowOverrideList ?? parent.AllowOverrideList,
            AddDefaultCharset = child.AddDefaultCharset ?? parent.AddDefaultCharset,
            FileETag = FileETagSetting.Merge(parent.FileETag, child.FileETag),
            EnableSendfile = child.EnableSendfile ?? parent.EnableSendfile,
            LimitRequestBody = child.LimitRequestBody ?? parent.LimitRequestBody,
            MaxRanges = child.MaxRanges ?? parent.MaxRanges,
            MaxRangeOverlaps = child.MaxRangeOverlaps ?? parent.MaxRangeOverlaps,
            MaxRangeReversals = child.MaxRangeReversals ?? parent.MaxRangeReversals,
            AcceptPathInfo = child.AcceptPathInfoSet ? child.AcceptPathInfo : parent.AcceptPathInfo,
            AcceptPathInfoSet = child.AcceptPathInfoSet || parent.AcceptPathInfoSet,
            SetHandler = child.SetHandler ?? parent.SetHandler,
            ForceType = child.ForceType ?? parent.ForceType,
            ServerSignature = child.ServerSignature ?? parent.ServerSignature,
        };
        if (child.Options is not null)
        {
            // An absolute Options line replaces what was inherited, +/- then apply on top.
            m.Options = child.Options;
            m.OptionsAdd = child.OptionsAdd;
            m.OptionsRemove = child.OptionsRemove;
        }
        else
        {
            m.Options = parent.EffectiveOptions;
            m.OptionsAdd = child.OptionsAdd;
            m.OptionsRemove = child.OptionsRemove;
        }

        foreach (var (k, v) in parent.ErrorDocuments)
        {
            m.ErrorDocuments[k] = v;
        }

        foreach (var (k, v) in child.ErrorDocuments)
        {
            m.ErrorDocuments[k] = v;
        }

        return m;
    }
}
