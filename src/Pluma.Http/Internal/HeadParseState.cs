using Pluma.Http.Protocol;

namespace Pluma.Http.Internal;

/// <summary>
/// What parsing one request head has found so far (Apache's ap_read_request fills the same on
/// request_rec): the request line, the split target, the checked head, the refusal if any,
/// mod_reqtimeout's header-stage clock, and the strings made on demand from the head's bytes.
/// Held by value in <see cref="Http1Connection"/> and reset by <see cref="Reset"/> for each
/// request; it survives a wait for more input, so a head may arrive in pieces.
/// </summary>
internal struct HeadParseState
{
    /// <summary>Where the head ends in the input buffer (the body, or the next request, starts there).</summary>
    public int HeadEnd;

    /// <summary>Header fields taken so far (LimitRequestFields).</summary>
    public int FieldCount;

    /// <summary>When serving this request began (Stopwatch ticks), for %D.</summary>
    public long Started;

    /// <summary>mod_reqtimeout's header stage: the deadline and its MinRate cap (Stopwatch ticks).</summary>
    public long Deadline;
    public long HardLimit;

    /// <summary>When a wait for input gives up (Environment.TickCount64 ms; 0: not waiting).</summary>
    public long InputWaitUntilMs;

    public StartLine Line;
    public bool LineParsed;
    public RequestTarget Target;

    /// <summary>What the checked head says (host, body framing, Connection and Expect): RequestHeadRules's output.</summary>
    public RequestHead Head;

    public RequestRejection Rejection;

    /// <summary>When the request's first byte arrived (%t, Date of the log line).</summary>
    public DateTime RequestTime;

    // Strings made from the head's bytes on first use only.
    public string? MethodName;
    public string? RequestLineString;
    public string? RawTargetString;
    public string? DecodedPath;
    public string? QueryString;
    public bool QueryParsed;
    public string? HostName;
    public bool HostParsed;

    /// <summary>
    /// Starts a new request, nothing parsed: no target, no head, no refusal. In place: assigning
    /// a new struct full of references to a field on the heap copies it through the GC's write
    /// barrier, about 400 instructions a request.
    /// </summary>
    public void Reset(DateTime requestTime)
    {
        this = default;
        Target = RequestTarget.None;
        Head = RequestHead.None;
        RequestTime = requestTime;
    }
}
