using Pluma.Http;

namespace Pluma.Modules.Hosting;

/// <summary>
/// What the request pipeline (Pipeline/RequestPipeline) keeps for the one request an HTTP engine is serving (its
/// TContext): the record the phases work on, which the log phase then logs, and the engine's
/// spare record for its next request. One per engine, reused request after request.
/// </summary>
public sealed class PipelineRequest
{
    internal PipelineRequest(HttpContext http)
    {
        Http = http;
    }

    /// <summary>The engine's exchange this request is on.</summary>
    public HttpContext Http { get; internal set; }

    /// <summary>
    /// The record being served: the first one, or the last internal redirect's (ErrorDocument),
    /// whose status and URI the access log shows. Null until a server was chosen (the engine
    /// refused the request before processing).
    /// </summary>
    public RequestRecord? Current { get; internal set; }

    /// <summary>The first record of the engine's last request, once disposed: the next request reuses it.</summary>
    internal RequestRecord? Spare { get; set; }
}
