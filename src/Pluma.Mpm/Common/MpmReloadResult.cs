namespace Pluma.Mpm.Common;

/// <summary>
/// The host's answer when a restart re-reads the configuration: the new MPM settings (mapped
/// from the directives, not yet clamped: the parent runs the restart check and logs its
/// warnings), or an error that keeps the running generation serving.
/// </summary>
public sealed record MpmReloadResult
{
    public MpmSettings? Settings { get; init; }

    /// <summary>Why the configuration was refused (already formatted FILE:LINE messages).</summary>
    public string? Error { get; init; }

    public static MpmReloadResult Ok(MpmSettings settings) => new() { Settings = settings };

    public static MpmReloadResult Failed(string error) => new() { Error = error };
}
