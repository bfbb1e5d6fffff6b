namespace Pluma.Http;

/// <summary>
/// The seam between the HTTP engine and Apache's request processing (vhosts, modules,
/// handlers). The engine parses and validates a request, calls <see cref="ProcessRequest"/>,
/// completes the response, then calls <see cref="LogRequest"/>. Both run on the worker thread.
/// </summary>
public interface IHttpApplication
{
    /// <summary>
    /// Answers one request: set <see cref="HttpResponse.StatusCode"/>, headers, and write a body
    /// or send a file. Returning without writing sends an empty 200 (or the status set).
    /// An exception becomes a 500 (or the status of an <see cref="HttpRequestRejectedException"/>).
    /// </summary>
    void ProcessRequest(HttpContext context);

    /// <summary>
    /// Called once per request after its response went out, including requests the engine
    /// rejected before <see cref="ProcessRequest"/> (Apache logs those too): mod_log_config's hook.
    /// </summary>
    void LogRequest(HttpContext context);
}
