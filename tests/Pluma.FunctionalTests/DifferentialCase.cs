namespace Pluma.FunctionalTests;

/// <summary>How much of a response body the differential comparison looks at.</summary>
internal enum DifferentialBody
{
    /// <summary>The whole body, server token and port normalised (a hash for binary bodies).</summary>
    Full,

    /// <summary>Only the &lt;title&gt; line: generated pages whose rows carry folder times (autoindex).</summary>
    TitleOnly,
}

/// <summary>
/// One raw exchange sent to both servers. <paramref name="BodyAfterContinue"/> is sent only
/// when the server answered the head with 100 Continue, as a client waiting for it would.
/// </summary>
internal sealed record DifferentialCase(
    string Name,
    string Request,
    DifferentialBody Body = DifferentialBody.Full,
    bool HeadRequest = false,
    string? BodyAfterContinue = null);
