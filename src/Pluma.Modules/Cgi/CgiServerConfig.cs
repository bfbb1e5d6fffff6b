namespace Pluma.Modules.Cgi;

/// <summary>mod_cgi's (and mod_cgid's) per-server record: the ScriptLog settings (cgi_server_conf).</summary>
public sealed class CgiServerConfig
{
    /// <summary>Apache's DEFAULT_LOGBYTES: the ScriptLog stops growing past this size.</summary>
    public const long DefaultLogLength = 10385760;

    /// <summary>Apache's DEFAULT_BUFBYTES: how much of a request body a ScriptLog entry shows.</summary>
    public const int DefaultLogBuffer = 1024;

    /// <summary>ScriptLog, resolved against ServerRoot, or null (no script log).</summary>
    public string? LogName { get; set; }

    /// <summary>ScriptLogLength.</summary>
    public long LogLength { get; set; } = DefaultLogLength;

    /// <summary>ScriptLogBuffer.</summary>
    public int LogBuffer { get; set; } = DefaultLogBuffer;

    /// <summary>mod_cgid's ScriptSock: accepted and unused, Pluma's children start scripts themselves (no cgid daemon).</summary>
    public string? Socket { get; set; }

    /// <summary>merge_cgi_config: a virtual host with its own ScriptLog takes all its settings, else the main server's.</summary>
    public static CgiServerConfig Merge(CgiServerConfig main, CgiServerConfig vhost) => vhost.LogName is not null ? vhost : main;
}
