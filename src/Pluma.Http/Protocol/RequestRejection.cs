namespace Pluma.Http.Protocol;

/// <summary>Why the engine refused a request; <see cref="RequestRejections"/> maps it to Apache's answer.</summary>
internal enum RequestRejection
{
    None = 0,
    BadRequest,
    RequestLineTooLong,
    FieldTooLong,
    FoldedFieldTooLong,

    /// <summary>Repeated fields whose values, joined with ", ", exceed LimitRequestFieldSize (Apache merges them).</summary>
    MergedFieldTooLong,
    TooManyFields,
    MissingHost,
    BadHost,
    BadContentLength,

    /// <summary>An absolute-form target whose scheme is neither http nor https (Apache: 400).</summary>
    UnsupportedScheme,
    BadTransferEncoding,

    /// <summary>Transfer-Encoding and Content-Length together (RFC 9112 6.3: MAY reject; Apache drops the length).</summary>
    TransferEncodingWithContentLength,

    /// <summary>Transfer-Encoding in an HTTP/1.0 request (RFC 9112 6.1: the framing is faulty; Apache serves it).</summary>
    TransferEncodingInHttp10,

    /// <summary>Codings before the final chunked that we do not implement (RFC 9112 6.1: SHOULD 501).</summary>
    UnsupportedTransferCoding,

    /// <summary>obs-fold under HttpProtocolOptions Strict (RFC 9112 5.2: reject or replace; Apache joins).</summary>
    ObsFold,

    /// <summary>A '#' in the request-target (RFC 9112 3.2: a fragment is not part of it).</summary>
    Fragment,

    /// <summary>An HTTP major version other than 1 on an HTTP/1.x connection (RFC 9112 2.3, RFC 9110 15.6.6).</summary>
    VersionNotSupported,
    BadChunk,
    BodyTooLarge,
    ExpectationFailed,
    UnknownMethod,
    TraceDisabled,
    BadEscape,
    PathAboveRoot,
    EncodedNul,
    Timeout,
}

internal static class RequestRejections
{
    public static int StatusCode(RequestRejection reason) => reason switch
    {
        RequestRejection.RequestLineTooLong => 414,
        RequestRejection.BodyTooLarge => 413,
        RequestRejection.ExpectationFailed => 417,
        RequestRejection.UnknownMethod => 501,
        RequestRejection.UnsupportedTransferCoding => 501,
        RequestRejection.VersionNotSupported => 505,
        RequestRejection.TraceDisabled => 405,
        RequestRejection.EncodedNul => 404,
        RequestRejection.Timeout => 408,
        _ => 400,
    };

    /// <summary>Apache's "error-notes" for the 400 page (protocol.c), or null.</summary>
    public static string? ErrorNotes(RequestRejection reason) => reason switch
    {
        RequestRejection.FieldTooLong => "Size of a request header field exceeds server limit.",
        // Apache 2.4.71 gives folded and merged fields the same note as a long line.
        RequestRejection.FoldedFieldTooLong => "Size of a request header field exceeds server limit.",
        RequestRejection.MergedFieldTooLong => "Size of a request header field exceeds server limit.",
        RequestRejection.TooManyFields => "The number of request header fields exceeds this server's limit.",
        RequestRejection.ObsFold => "Obsolete line folding is unacceptable.",
        _ => null,
    };

    /// <summary>
    /// Why a request was refused where the RFC 9112 reading of Pluma is stricter than Apache
    /// 2.4.71 (docs/security-http-strictness.md), for an info line; null for Apache's own refusals.
    /// </summary>
    public static string? StrictReason(RequestRejection reason) => reason switch
    {
        RequestRejection.TransferEncodingWithContentLength => "Transfer-Encoding together with Content-Length (RFC 9112 6.3)",
        RequestRejection.TransferEncodingInHttp10 => "Transfer-Encoding in an HTTP/1.0 request (RFC 9112 6.1)",
        RequestRejection.BadTransferEncoding => "Transfer-Encoding is not a single final chunked (RFC 9112 6.1, 7)",
        RequestRejection.UnsupportedTransferCoding => "a transfer coding other than chunked (RFC 9112 6.1)",
        RequestRejection.ObsFold => "obsolete line folding in a header field (RFC 9112 5.2)",
        RequestRejection.Fragment => "a fragment in the request-target (RFC 9112 3.2)",
        RequestRejection.VersionNotSupported => "an HTTP major version other than 1 (RFC 9112 2.3)",
        _ => null,
    };
}
