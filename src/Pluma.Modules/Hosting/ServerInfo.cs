namespace Pluma.Modules.Hosting;

/// <summary>
/// Facts about the running server that pages and logs print (mod_status, error pages, %v):
/// the product banner as ServerTokens shapes it, the MPM, and when it was built.
/// </summary>
public sealed record ServerInfo
{
    /// <summary>The full version string, e.g. <c>Pluma/0.1.0 (Unix)</c> (ServerTokens Full/OS).</summary>
    public required string Version { get; init; }

    /// <summary>The banner as ServerTokens shapes it, for the Server header and signatures.</summary>
    public required string Banner { get; init; }

    /// <summary>prefork, worker or event.</summary>
    public required string MpmName { get; init; }

    /// <summary>
    /// Build date as <c>-V</c> prints it (<c>2026-11-28T14:00:00</c>), read on first use: it
    /// comes from the assembly's metadata by reflection, which every exec'd child would otherwise
    /// pay for at start although only server-status prints it.
    /// </summary>
    public required Lazy<string> Built { get; init; }
}
