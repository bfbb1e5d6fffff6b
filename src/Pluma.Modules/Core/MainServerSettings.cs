using System.Collections.Generic;

namespace Pluma.Modules.Core;

/// <summary>
/// core settings that exist once per server instance, not per virtual host: where to listen,
/// the pid file, the run-time directory, the user to run children as (Apache's globals).
/// </summary>
public sealed class MainServerSettings
{
    /// <summary>Listen lines as written: <c>[address:]port [protocol]</c>.</summary>
    public List<ListenDirective> Listen { get; } = [];

    public string? PidFile { get; set; }

    public string? DefaultRuntimeDir { get; set; }

    public string? User { get; set; }

    public string? Group { get; set; }

    public int? ListenBacklog { get; set; }

    /// <summary>ListenCoresBucketsRatio: online cores per listener bucket (null or 0: one bucket).</summary>
    public int? ListenCoresBucketsRatio { get; set; }

    public bool? EnableSendfile { get; set; }

    public string? ServerTokens { get; set; }

    public string? ScoreBoardFile { get; set; }

    public List<string> Mutexes { get; } = [];
}

/// <summary>One Listen directive.</summary>
public sealed record ListenDirective(string Address, int Port, string? Protocol, string File, int Line);
