using Pluma.Http.Protocol;

namespace Pluma.Http;

/// <summary>The per-directory settings that shape a static file's response (core's FileETag, MaxRange* and EnableSendfile).</summary>
public sealed record StaticFileOptions
{
    /// <summary>The shared instance with Apache 2.4's defaults.</summary>
    public static readonly StaticFileOptions Default = new();

    /// <summary>FileETag, resolved (<see cref="FileETagSetting.Effective"/>): default MTime Size.</summary>
    public FileETagComponents FileETag { get; init; } = FileETagComponents.Default;

    /// <summary>MaxRanges, MaxRangeOverlaps, MaxRangeReversals: default 200, 20, 20.</summary>
    public RangeLimits Ranges { get; init; } = RangeLimits.Default;

    /// <summary>
    /// EnableSendfile: a body too large for the output buffer goes by sendfile(2) only when On;
    /// Off (Apache's default, and what admins set for network filesystems, where sendfile can send
    /// stale data) reads it and sends the bytes.
    /// </summary>
    public bool EnableSendfile { get; init; }
}
