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

    /// <summary>User as written; "#-1" when none is set (mod_unixd's DEFAULT_USER).</summary>
    public string User { get; set; } = "#-1";

    /// <summary>The uid User names, resolved when the directive is read (4294967295 for "#-1").</summary>
    public uint UserId { get; set; } = uint.MaxValue;

    /// <summary>Group as written; "#-1" when none is set (mod_unixd's DEFAULT_GROUP).</summary>
    public string Group { get; set; } = "#-1";

    /// <summary>The gid Group names, resolved when the directive is read.</summary>
    public uint GroupId { get; set; } = uint.MaxValue;

    public int? ListenBacklog { get; set; }

    /// <summary>AcceptFilter lines over Apache's Linux defaults (data for http and https).</summary>
    public AcceptFilterMap AcceptFilters { get; } = new();

    /// <summary>ListenCoresBucketsRatio: online cores per listener bucket (null or 0: one bucket).</summary>
    public int? ListenCoresBucketsRatio { get; set; }

    public bool? EnableSendfile { get; set; }

    public string? ServerTokens { get; set; }

    public string? ScoreBoardFile { get; set; }

    public List<string> Mutexes { get; } = [];
}

/// <summary>One Listen directive.</summary>
public sealed record ListenDirective(string Address, int Port, string? Protocol, string File, int Line);
