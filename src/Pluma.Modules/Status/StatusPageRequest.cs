namespace Pluma.Modules.Status;

/// <summary>Everything besides the scoreboard that the status page prints: who asks, the server, the clock, load and CPU.</summary>
public sealed record StatusPageRequest
{
    /// <summary>ap_get_server_name: the Host the client sent (UseCanonicalName Off).</summary>
    public required string ServerName { get; init; }

    /// <summary>The local address of the connection ("via").</summary>
    public required string LocalIp { get; init; }

    public required string ServerVersion { get; init; }

    public required string ServerBuilt { get; init; }

    public required DateTimeOffset Now { get; init; }

    public required DateTimeOffset RestartTime { get; init; }

    public double Load1 { get; init; }

    public double Load5 { get; init; }

    public double Load15 { get; init; }

    /// <summary>CPU seconds of the server's processes: user, system, children user, children system.</summary>
    public double CpuUser { get; init; }

    public double CpuSystem { get; init; }

    public double CpuChildrenUser { get; init; }

    public double CpuChildrenSystem { get; init; }

    public bool ExtendedStatus { get; init; } = true;

    /// <summary>The listeners' accept queue (<see cref="Status.ListenBacklog"/>), for ?json; null when unknown.</summary>
    public int? ListenBacklog { get; init; }

    /// <summary>?auto: the plain-text form.</summary>
    public bool Auto { get; init; }

    /// <summary>?notable: lines instead of tables.</summary>
    public bool NoTable { get; init; }

    /// <summary>What other modules' status hooks print (<see cref="StatusHooks"/>), before the footer.</summary>
    public string Extensions { get; init; } = string.Empty;

    /// <summary>The ServerSignature footer ("&lt;hr /&gt;\n&lt;address&gt;...") or empty.</summary>
    public string Signature { get; init; } = string.Empty;
}
