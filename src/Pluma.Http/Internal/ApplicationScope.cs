namespace Pluma.Http.Internal;

/// <summary>
/// The per-request state of one request engine (<c>Http1Connection</c>), held between the calls
/// of one request and kept for reuse by the next: the engine stays non-generic and the
/// application's TContext stays typed.
/// </summary>
internal abstract class ApplicationScope
{
    /// <summary>The request's head is in: ask the application for its state.</summary>
    public abstract void Begin(HttpContext http);

    public abstract void Process();

    public abstract void Log();

    /// <summary>The request is over (or its connection failed): let the application forget it.</summary>
    public abstract void End();
}

/// <inheritdoc/>
internal sealed class ApplicationScope<TContext>(IHttpApplication<TContext> application) : ApplicationScope
    where TContext : class
{
    private TContext? _current;
    private TContext? _reusable;

    public override void Begin(HttpContext http)
    {
        TContext? reusable = _reusable;
        _reusable = null;
        _current = application.CreateContext(http, reusable);
    }

    public override void Process() => application.ProcessRequest(_current!);

    public override void Log() => application.LogRequest(_current!);

    public override void End()
    {
        TContext? current = _current;
        if (current is null)
        {
            return;
        }

        _current = null;
        application.DisposeContext(current);
        _reusable = current;
    }
}
