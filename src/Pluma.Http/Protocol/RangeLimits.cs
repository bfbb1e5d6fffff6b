namespace Pluma.Http.Protocol;

/// <summary>
/// MaxRanges, MaxRangeOverlaps and MaxRangeReversals (core). -1 is "unlimited"; MaxRanges 0
/// is "none" (ranges are ignored and Accept-Ranges says none).
/// </summary>
public readonly record struct RangeLimits(int MaxRanges, int MaxOverlaps, int MaxReversals)
{
    /// <summary>Apache's compiled defaults (byterange_filter.c AP_DEFAULT_MAX_*): 200, 20, 20.</summary>
    public static RangeLimits Default => new(200, 20, 20);
}
