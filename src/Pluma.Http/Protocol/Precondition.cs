namespace Pluma.Http.Protocol;

/// <summary>What <see cref="ConditionalRequest.Evaluate"/> decided.</summary>
public enum Precondition
{
    /// <summary>Serve the resource (200, or 206 when a range applies).</summary>
    Proceed,

    /// <summary>304 Not Modified.</summary>
    NotModified,

    /// <summary>412 Precondition Failed.</summary>
    Failed,
}
