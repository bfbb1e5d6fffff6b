namespace Pluma.Http.Internal;

/// <summary>Why the engine refused a request; <see cref="RequestRejections"/> maps it to Apache's answer.</summary>
internal enum RequestRejection
{
    None = 0,
    BadRequest,
    RequestLineTooLong,
    FieldTooLong,
    FoldedFieldTooLong,
    TooManyFields,
    MissingHost,
    BadHost,
    BadContentLength,
    BadTransferEncoding,
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
        RequestRejection.TraceDisabled => 405,
        RequestRejection.EncodedNul => 404,
        RequestRejection.Timeout => 408,
        _ => 400,
    };

    /// <summary>Apache's "error-notes" for the 400 page (protocol.c), or null.</summary>
    public static string? ErrorNotes(RequestRejection reason) => reason switch
    {
        RequestRejection.FieldTooLong => "Size of a request header field exceeds server limit.",
        RequestRejection.FoldedFieldTooLong => "Size of a request header field after folding exceeds server limit.",
        RequestRejection.TooManyFields => "The number of request header fields exceeds this server's limit.",
        _ => null,
    };
}
