namespace Pluma.Modules.LogConfig;

/// <summary>
/// One CustomLog/TransferLog line: where (absolute path, or "|command" for piped logs), which
/// format (a nickname resolved when logs open, or an inline format), and the env= condition.
/// <see cref="File"/> and <see cref="Format"/> are set by <see cref="LogConfigModule.OpenLogs(Hosting.ServerRuntime)"/>.
/// </summary>
public sealed class LogTarget
{
    public required string Path { get; init; }

    /// <summary>A LogFormat nickname or an inline format; null: the server's default format.</summary>
    public string? FormatSpec { get; init; }

    /// <summary>env=NAME (log when set) or env=!NAME (log when not set); null: always.</summary>
    public string? EnvCondition { get; init; }

    public bool NegateEnv { get; init; }

    public bool IsPipe => Path.StartsWith('|');

    public LogFormat? Format { get; set; }

    public LogFile? File { get; set; }
}
