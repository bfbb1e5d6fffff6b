namespace Pluma.Http;

/// <summary>
/// One link of a response's output filter chain (Apache's ap_filter_t of the content-set kind,
/// as mod_deflate's DEFLATE): it sees every body byte the application writes, in order, then
/// the end of the body, and passes what it makes of them to the next filter or the connection.
/// Until the first bytes reach the connection it may still change the status and header fields.
/// A filter belongs to one response at a time (<see cref="HttpResponse.AddOutputFilter"/>);
/// <see cref="Detached"/> tells it the response is done with it, whether or not
/// <see cref="End"/> ran, so it can give back pooled buffers.
/// </summary>
public abstract class OutputFilter
{
    private HttpResponse? _response;
    private OutputFilter? _next;

    // The link mod_filter's harness handed its work to (AttachInner): it passes where this
    // filter passes, also when a filter is added after this one later (the byterange filter).
    private OutputFilter? _inner;

    internal OutputFilter? Next
    {
        get => _next;
        set
        {
            _next = value;
            if (_inner is not null)
            {
                _inner.Next = value;
            }
        }
    }

    /// <summary>The response this filter is attached to.</summary>
    protected HttpResponse Response => _response ?? throw new InvalidOperationException("The filter is not attached to a response.");

    /// <summary>Body bytes from the application (or the filter before this one).</summary>
    public abstract void Write(ReadOnlySpan<byte> data);

    /// <summary>
    /// The next body bytes are <paramref name="count"/> bytes of a file (Apache's FILE bucket).
    /// Returns true when this filter needs to see them; false when it passes the rest of the
    /// body on untouched, so it leaves the chain (ap_remove_output_filter) and, once no filter is
    /// left, the file goes out with sendfile and event's write completion instead of being read
    /// through the chain. Only the first filter of the chain is asked.
    /// </summary>
    public virtual bool TakesFile(long count) => true;

    /// <summary>The application asked for what was written so far to be sent (Apache's FLUSH bucket).</summary>
    public virtual void Flush() => PassFlush();

    /// <summary>The body is complete (Apache's EOS bucket): pass on what is left, then the end.</summary>
    public virtual void End() => PassEnd();

    /// <summary>The response no longer uses this filter (it ended, or an error page replaced the body).</summary>
    protected virtual void Detached()
    {
    }

    /// <summary>Bytes to the next filter, or to the connection after the last one.</summary>
    protected void Pass(ReadOnlySpan<byte> data)
    {
        if (Next is { } next)
        {
            next.Write(data);
        }
        else
        {
            Response.WriteUnfiltered(data);
        }
    }

    /// <summary>A flush to the next filter, or to the connection (the head goes out).</summary>
    protected void PassFlush()
    {
        if (Next is { } next)
        {
            next.Flush();
        }
        else
        {
            Response.FlushUnfiltered();
        }
    }

    /// <summary>The end of the body to the next filter (the connection learns it when the application returns).</summary>
    protected void PassEnd() => Next?.End();

    /// <summary>
    /// mod_filter's harness: <paramref name="inner"/> does this link's work from now on, passing
    /// its output where this filter would.
    /// </summary>
    protected void AttachInner(OutputFilter inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        inner.Attach(Response);
        inner.Next = Next;
        _inner = inner;
    }

    /// <summary>The harness's inner filter leaves with it.</summary>
    protected static void DetachInner(OutputFilter inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        inner.Detach();
    }

    internal void Attach(HttpResponse response)
    {
        _response = response;
        _inner = null;
        Next = null;
    }

    internal void Detach()
    {
        Detached();
        _response = null;
        _inner = null;
        Next = null;
    }
}
