using Pluma.Http.Protocol;

namespace Pluma.Http;

/// <summary>The per-directory settings that shape a static file's response (core's FileETag and MaxRange*).</summary>
public sealed record StaticFileOptions
{
    /// <summary>The shared instance with Apache 2.4's defaults.</summary>
    public static readonly StaticFileOptions Default = new();

    /// <summary>FileETag, resolved (<see cref="FileETagSetting.Effective"/>): default MTime Size.</summary>
    public FileETagComponents FileETag { get; init; } = FileETagComponents.Default;

    /// <summary>MaxRanges, MaxRangeOverlaps, MaxRangeReversals: default 200, 20, 20.</summary>
    public RangeLimits Ranges { get; init; } = RangeLimits.Default;
}
