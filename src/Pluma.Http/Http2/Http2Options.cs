namespace Pluma.Http.Http2;

/// <summary>
/// What the HTTP/2 engine takes from the configuration (mod_http2's directives), as plain values.
/// Defaults are mod_http2's compiled defaults (h2_config.c) unless noted.
/// </summary>
public sealed record Http2Options
{
    /// <summary>H2MaxSessionStreams (default 100): SETTINGS_MAX_CONCURRENT_STREAMS.</summary>
    public int MaxConcurrentStreams { get; init; } = 100;

    /// <summary>H2WindowSize (default 65535): SETTINGS_INITIAL_WINDOW_SIZE for the client's streams.</summary>
    public int InitialWindowSize { get; init; } = 65535;

    /// <summary>
    /// SETTINGS_MAX_HEADER_LIST_SIZE: decoded header bytes per request (RFC 9113 6.5.2 terms).
    /// mod_http2 derives its limit from LimitRequestFieldSize and LimitRequestFields; 64 KiB here.
    /// </summary>
    public int MaxHeaderListSize { get; init; } = 65536;

    /// <summary>SETTINGS_HEADER_TABLE_SIZE: the HPACK table the client may fill (RFC 7541 default 4096).</summary>
    public int HeaderTableSize { get; init; } = 4096;

    /// <summary>
    /// CONTINUATION flood defence: frames one header block may take before the connection is
    /// closed with ENHANCE_YOUR_CALM (CVE-2024-27316 class).
    /// </summary>
    public int MaxContinuationFrames { get; init; } = 32;

    /// <summary>Rapid-reset defence (CVE-2023-44487): RST_STREAM frames accepted per second.</summary>
    public int MaxResetsPerSecond { get; init; } = 100;

    /// <summary>
    /// H2MaxWorkers: the most workers one connection's streams take at once; null (unset) means
    /// the MPM's threads per child, as mod_http2 sizes its workers from ThreadsPerChild.
    /// </summary>
    public int? MaxWorkers { get; init; }

    /// <summary>H2StreamMaxMemSize (default 65536): response bytes buffered per stream before writing.</summary>
    public int StreamMaxMemSize { get; init; } = 65536;
}
