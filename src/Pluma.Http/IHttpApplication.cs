using Pluma.Http.Internal;

namespace Pluma.Http;

/// <summary>
/// The seam between the HTTP engine and Apache's request processing (vhosts, modules,
/// handlers), shaped as Kestrel's IHttpApplication&lt;TContext&gt;: once a request's head is
/// read the engine asks for the request's own state (<see cref="CreateContext"/>), calls
/// <see cref="ProcessRequest"/> with it, completes the response, then calls
/// <see cref="LogRequest"/> and <see cref="DisposeContext"/> with the same state. So what one
/// phase leaves for the next travels with the request, never in a thread-static. All run on
/// the worker thread serving the request.
/// </summary>
/// <typeparam name="TContext">What the application keeps for one request.</typeparam>
public interface IHttpApplication<TContext> : IHttpApplicationBase
    where TContext : class
{
    /// <summary>
    /// The state of the request whose head was just read (refused requests too, which are
    /// logged without being processed). <paramref name="reusable"/> is the state this engine's
    /// previous request had, already disposed: returning it made fresh serves requests without
    /// allocating (as Kestrel's IHostContextContainer). The engine reuses
    /// <paramref name="http"/> for every request it serves: never keep it past
    /// <see cref="DisposeContext"/>.
    /// </summary>
    TContext CreateContext(HttpContext http, TContext? reusable);

    /// <summary>
    /// Answers one request: set <see cref="HttpResponse.StatusCode"/>, headers, and write a body
    /// or send a file. Returning without writing sends an empty 200 (or the status set).
    /// An exception becomes a 500 (or the status of an <see cref="HttpRequestRejectedException"/>).
    /// </summary>
    void ProcessRequest(TContext context);

    /// <summary>
    /// Called once per request after its response went out, including requests the engine
    /// rejected before <see cref="ProcessRequest"/> (Apache logs those too): mod_log_config's hook.
    /// </summary>
    void LogRequest(TContext context);

    /// <summary>The request is over (logged, or its connection failed): nothing may refer to it any more.</summary>
    void DisposeContext(TContext context);

    /// <inheritdoc/>
    ApplicationScope IHttpApplicationBase.CreateScope() => new ApplicationScope<TContext>(this);
}

/// <summary>
/// The simple form: an application whose per-request state is the <see cref="HttpContext"/>
/// itself (tests, benchmarks, small servers).
/// </summary>
public interface IHttpApplication : IHttpApplication<HttpContext>
{
    /// <summary>Answers one request (see <see cref="IHttpApplication{TContext}.ProcessRequest"/>).</summary>
    new void ProcessRequest(HttpContext context);

    /// <summary>mod_log_config's hook (see <see cref="IHttpApplication{TContext}.LogRequest"/>).</summary>
    new void LogRequest(HttpContext context);

    HttpContext IHttpApplication<HttpContext>.CreateContext(HttpContext http, HttpContext? reusable) => http;

    void IHttpApplication<HttpContext>.ProcessRequest(HttpContext context) => ProcessRequest(context);

    void IHttpApplication<HttpContext>.LogRequest(HttpContext context) => LogRequest(context);

    void IHttpApplication<HttpContext>.DisposeContext(HttpContext context)
    {
    }
}

/// <summary>
/// What <see cref="HttpConnectionHandler"/> takes: any <see cref="IHttpApplication{TContext}"/>,
/// so a handler is built without naming its TContext. Implement the generic interface, never this one.
/// </summary>
public interface IHttpApplicationBase
{
    /// <summary>One request engine's holder of the application's per-request state.</summary>
    internal ApplicationScope CreateScope();
}
