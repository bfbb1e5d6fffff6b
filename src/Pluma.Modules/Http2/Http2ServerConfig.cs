namespace Pluma.Modules.Http2;

/// <summary>mod_http2's per-server record (h2_config.c); null means unset, merged vhost over main.</summary>
public sealed class Http2ServerConfig
{
    /// <summary>H2Direct (default on for h2c).</summary>
    public bool? Direct { get; set; }

    /// <summary>H2MaxSessionStreams (default 100).</summary>
    public int? MaxSessionStreams { get; set; }

    /// <summary>H2StreamMaxMemSize (default 65536).</summary>
    public int? StreamMaxMemSize { get; set; }

    /// <summary>H2WindowSize (default 65535).</summary>
    public int? WindowSize { get; set; }

    /// <summary>H2MinWorkers: accepted; streams are served by the child's own workers.</summary>
    public int? MinWorkers { get; set; }

    /// <summary>H2MaxWorkers: the most of the child's workers one connection's streams take at once (default ThreadsPerChild).</summary>
    public int? MaxWorkers { get; set; }

    public static Http2ServerConfig Merge(Http2ServerConfig main, Http2ServerConfig vhost) => new()
    {
        Direct = vhost.Direct ?? main.Direct,
        MaxSessionStreams = vhost.MaxSessionStreams ?? main.MaxSessionStreams,
        StreamMaxMemSize = vhost.StreamMaxMemSize ?? main.StreamMaxMemSize,
        WindowSize = vhost.WindowSize ?? main.WindowSize,
        MinWorkers = vhost.MinWorkers ?? main.MinWorkers,
        MaxWorkers = vhost.MaxWorkers ?? main.MaxWorkers,
    };
}
