using System.Buffers;
using System.IO;
using Microsoft.Win32.SafeHandles;
using Pluma.Http.Internal;

namespace Pluma.Http;

/// <summary>
/// The response of one request. The head goes out with the first body bytes that overflow the
/// connection's output buffer, at <see cref="SendFile"/>, or when the application returns; a
/// response that fits is sent with one write, with a Content-Length the engine computes.
/// Otherwise the body is chunked (HTTP/1.1) or ends with the connection (HTTP/1.0).
/// Modules may put <see cref="OutputFilter"/>s between the application and the connection and
/// a <see cref="ResponseHeadHook"/> before the head; with none set, a write costs one null check.
/// </summary>
public sealed class HttpResponse
{
    /// <summary>How much of a file a filtered <see cref="SendFile"/> reads at a time.</summary>
    private const int FileChunk = 16384;

    private readonly Http1Connection _owner;
    private OutputFilter? _firstFilter;
    private OutputFilter? _lastFilter;
    private ResponseHeadHook? _headHooks;
    private bool _errorResponse;

    internal HttpResponse(Http1Connection owner)
    {
        _owner = owner;
        Headers = new HttpResponseHeaders();
    }

    /// <summary>The status code (default 200).</summary>
    public int StatusCode { get; set; } = 200;

    /// <summary>The reason phrase; null uses Apache's for the status.</summary>
    public string? ReasonPhrase { get; set; }

    /// <summary>Header fields, in the order they will be sent.</summary>
    public HttpResponseHeaders Headers { get; }

    /// <summary>Content-Type; Apache sends it after every other field.</summary>
    public string? ContentType { get; set; }

    /// <summary>The Content-Length field: setting it places the field where Apache's handler would.</summary>
    public long? ContentLength
    {
        get
        {
            int i = Headers.IndexOf("Content-Length");
            return i >= 0 && Headers.TryGetNumber(i, out long length) ? length : null;
        }

        set
        {
            if (value is long length)
            {
                Headers.SetNumber("Content-Length", length);
            }
            else
            {
                Headers.Remove("Content-Length");
            }
        }
    }

    /// <summary>Whether the head has been sent (status and headers can no longer change).</summary>
    public bool HasStarted => _owner.HeadSent;

    /// <summary>Bytes sent for this response, head included (%O, without chunk framing's difference).</summary>
    public long BytesSent => _owner.BytesSent;

    /// <summary>Body bytes sent (%B).</summary>
    public long BodyBytesSent => _owner.BodyBytesSent;

    /// <summary>Whether output filters stand between the application and the connection.</summary>
    public bool HasOutputFilters => _firstFilter is not null;

    /// <summary>Whether this is one of Apache's error answers (<see cref="BeginErrorResponse"/>).</summary>
    public bool IsErrorResponse => _errorResponse;

    /// <summary>Appends body bytes (discarded for HEAD, but counted for its Content-Length).</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (_firstFilter is null)
        {
            _owner.WriteBody(data);
        }
        else
        {
            _firstFilter.Write(data);
        }
    }

    /// <summary>
    /// Ends the response where it stands because its source failed mid-body (a CGI script that
    /// died): what is buffered goes out, but never the end of the body (no last chunk), and the
    /// connection closes, so the client sees a truncated response rather than a complete one.
    /// </summary>
    public void Abort() => _owner.AbortResponse();

    /// <summary>
    /// Bytes that are the whole response, head included (an NPH script's output): no head is
    /// built, nothing is framed, and the connection closes after the request (Apache's
    /// assbackwards). Only before anything else of the response went out.
    /// </summary>
    public void WriteRaw(ReadOnlySpan<byte> data) => _owner.WriteRawResponse(data);

    /// <summary>Sends <paramref name="count"/> bytes of <paramref name="file"/> from <paramref name="offset"/> (sendfile).</summary>
    public void SendFile(SafeFileHandle file, long offset, long count)
    {
        if (_firstFilter is null)
        {
            _owner.SendFileBody(file, offset, count);
        }
        else
        {
            FilterFile(file, offset, count, smallFilePath: false, sendfile: true);
        }
    }

    /// <summary>Sends the head and everything buffered now.</summary>
    public void Flush()
    {
        if (_firstFilter is null)
        {
            _owner.FlushBody();
        }
        else
        {
            _firstFilter.Flush();
        }
    }

    /// <summary>
    /// Adds <paramref name="filter"/> at the end of the chain (Apache's ap_add_output_filter from
    /// an insert_filter hook). Only before the first body byte is written.
    /// </summary>
    public void AddOutputFilter(OutputFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        filter.Attach(this);
        if (_lastFilter is null)
        {
            _firstFilter = filter;
        }
        else
        {
            _lastFilter.Next = filter;
        }

        _lastFilter = filter;
    }

    /// <summary>Drops every output filter (an internal redirect starts a new chain, as Apache's does).</summary>
    public void RemoveOutputFilters()
    {
        OutputFilter? f = _firstFilter;
        _firstFilter = null;
        _lastFilter = null;
        while (f is not null)
        {
            OutputFilter? next = f.Next;
            f.Detach();
            f = next;
        }
    }

    /// <summary>Adds a hook run once just before the head is built (mod_headers).</summary>
    public void AddHeadHook(ResponseHeadHook hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        hook.Next = null;
        if (_headHooks is null)
        {
            _headHooks = hook;
            return;
        }

        ResponseHeadHook last = _headHooks;
        while (last.Next is not null)
        {
            last = last.Next;
        }

        last.Next = hook;
    }

    /// <summary>Whether <paramref name="hook"/> is already waiting for this response's head.</summary>
    public bool HasHeadHook(ResponseHeadHook hook)
    {
        for (ResponseHeadHook? h = _headHooks; h is not null; h = h.Next)
        {
            if (ReferenceEquals(h, hook))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Drops the head hooks (an internal redirect's request adds its own).</summary>
    public void RemoveHeadHooks() => _headHooks = null;

    /// <summary>
    /// This response is one of Apache's error answers (ap_die, ap_send_error_response: the
    /// engine's error pages, the default handler's 304 and 412): the content filters are dropped,
    /// as Apache resets r->output_filters to the protocol's, and head hooks see an error response.
    /// </summary>
    public void BeginErrorResponse()
    {
        _errorResponse = true;
        if (_firstFilter is not null)
        {
            RemoveOutputFilters();
        }
    }

    /// <summary>
    /// File bytes as body: the default handler's path. Too large to buffer, they go by sendfile
    /// only when <paramref name="sendfile"/> (EnableSendfile On); otherwise they are read and sent.
    /// </summary>
    internal void WriteFileBody(SafeFileHandle file, long offset, long count, bool sendfile)
    {
        if (_firstFilter is null)
        {
            _owner.WriteFileBody(file, offset, count, sendfile);
        }
        else
        {
            FilterFile(file, offset, count, smallFilePath: true, sendfile);
        }
    }

    /// <summary>
    /// A file's bytes held in memory as body (the open-file cache's small files): what
    /// <see cref="WriteFileBody"/> does with the bytes it would read. The filters that pass the
    /// file untouched leave first, as for a file read.
    /// </summary>
    internal void WriteFileBytes(ReadOnlySpan<byte> data)
    {
        if (_firstFilter is null || !KeepFiltersThatChangeFile(data.Length))
        {
            _owner.WriteBody(data);
        }
        else
        {
            _firstFilter.Write(data);
        }
    }

    internal void WriteUnfiltered(ReadOnlySpan<byte> data) => _owner.WriteBody(data);

    internal void FlushUnfiltered() => _owner.FlushBody();

    /// <summary>The application is done: the filters see the end of the body and leave the response.</summary>
    internal void EndBody()
    {
        OutputFilter? first = _firstFilter;
        if (first is null)
        {
            return;
        }

        first.End();
        RemoveOutputFilters();
    }

    /// <summary>Runs the head hooks once (the engine calls it as it builds the head).</summary>
    internal void BeforeHead()
    {
        ResponseHeadHook? hook = _headHooks;
        _headHooks = null;
        while (hook is not null)
        {
            ResponseHeadHook? next = hook.Next;
            hook.Next = null;
            hook.BeforeHead(this, _errorResponse);
            hook = next;
        }
    }

    internal void Reset()
    {
        StatusCode = 200;
        ReasonPhrase = null;
        ContentType = null;
        Headers.Clear();
        _errorResponse = false;
        _headHooks = null;
        if (_firstFilter is not null)
        {
            RemoveOutputFilters();
        }
    }

    /// <summary>
    /// The filters that would pass a file body of <paramref name="count"/> bytes untouched leave
    /// the chain now (ap_remove_output_filter); true when one that changes it is left.
    /// </summary>
    internal bool KeepFiltersThatChangeFile(long count)
    {
        while (_firstFilter is { } first && !first.TakesFile(count))
        {
            _firstFilter = first.Next;
            if (_firstFilter is null)
            {
                _lastFilter = null;
            }

            first.Detach();
        }

        return _firstFilter is not null;
    }

    /// <summary>
    /// A file through the filters: the filters that pass it untouched leave the chain first (so a
    /// response DEFLATE does not compress still goes out with sendfile); what is left reads it in
    /// pooled chunks (those filters need the bytes, not a descriptor).
    /// </summary>
    private void FilterFile(SafeFileHandle file, long offset, long count, bool smallFilePath, bool sendfile)
    {
        if (!KeepFiltersThatChangeFile(count))
        {
            if (smallFilePath)
            {
                _owner.WriteFileBody(file, offset, count, sendfile);
            }
            else
            {
                _owner.SendFileBody(file, offset, count);
            }

            return;
        }

        byte[] chunk = ArrayPool<byte>.Shared.Rent((int)Math.Min(FileChunk, Math.Max(count, 1)));
        try
        {
            while (count > 0 && _firstFilter is { } filter)
            {
                int read = RandomAccess.Read(file, chunk.AsSpan(0, (int)Math.Min(chunk.Length, count)), offset);
                if (read <= 0)
                {
                    break; // truncated under us: the body ends short, as the unfiltered path's does
                }

                filter.Write(chunk.AsSpan(0, read));
                offset += read;
                count -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
