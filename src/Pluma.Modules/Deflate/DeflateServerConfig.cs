namespace Pluma.Modules.Deflate;

/// <summary>How DeflateAlterETag changes the ETag of a compressed response.</summary>
public enum DeflateETagMode
{
    /// <summary>"-gzip" inside the quotes (Apache's default).</summary>
    AddSuffix,

    /// <summary>Left as the handler set it (2.2's behaviour).</summary>
    NoChange,

    /// <summary>Dropped.</summary>
    Remove,
}

/// <summary>mod_deflate's per-server record (deflate_filter_config), with Apache's defaults.</summary>
public sealed class DeflateServerConfig
{
    /// <summary>zlib's level; -1 is Z_DEFAULT_COMPRESSION (level 6).</summary>
    public int CompressionLevel { get; set; } = -1;

    /// <summary>DeflateBufferSize: compressed bytes held before they are passed on (8096).</summary>
    public int BufferSize { get; set; } = 8096;

    /// <summary>DeflateWindowSize (1-15, default 15). .NET's zlib does not take it: accepted, not applied.</summary>
    public int WindowSize { get; set; } = 15;

    /// <summary>DeflateMemLevel (1-9, default 9). .NET's zlib does not take it: accepted, not applied.</summary>
    public int MemLevel { get; set; } = 9;

    public DeflateETagMode ETagMode { get; set; } = DeflateETagMode.AddSuffix;

    /// <summary>DeflateFilterNote names (null: no note).</summary>
    public string? NoteRatio { get; set; }

    public string? NoteInput { get; set; }

    public string? NoteOutput { get; set; }

    /// <summary>mod_deflate has no merge: a virtual host's record starts from the defaults, not the main server's.</summary>
    public static DeflateServerConfig Merge(DeflateServerConfig main, DeflateServerConfig vhost) => vhost;
}
