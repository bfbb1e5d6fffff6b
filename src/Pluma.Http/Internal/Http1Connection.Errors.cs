using System.Text;
using Pluma.Connections.Diagnostics;
using Pluma.Http.Protocol;

namespace Pluma.Http.Internal;

internal sealed partial class Http1Connection
{
    /// <summary>Answers a request the engine refused, as Apache answers it (protocol.c, http_request.c).</summary>
    private void RejectRequest(RequestRejection reason)
    {
        _context.RejectedByServer = true;
        int status = RequestRejections.StatusCode(reason);
        string? strict = RequestRejections.StrictReason(reason);
        if (strict is not null && _errorLog is not null && _errorLog.IsEnabled(LogLevel.Info, "core"))
        {
            _errorLog.Write(LogLevel.Info, "core", "PL00060: request refused (" + status.ToString(System.Globalization.CultureInfo.InvariantCulture) + "): " + strict, ClientText());
        }

        // Apache names the request's host in the footer only once the head passed its checks.
        bool useHost = reason is RequestRejection.BadEscape or RequestRejection.PathAboveRoot or RequestRejection.EncodedNul
            or RequestRejection.TraceDisabled or RequestRejection.UnknownMethod or RequestRejection.ExpectationFailed
            or RequestRejection.UnsupportedScheme;

        switch (reason)
        {
            case RequestRejection.TraceDisabled:
                Response.Headers.Set("Allow", string.Empty); // Apache 2.4.71 sends it empty
                break;
            case RequestRejection.UnknownMethod:
                Response.Headers.Set("Allow", _options.UnknownMethodAllow);
                break;
            case RequestRejection.ExpectationFailed:
                _response.CloseWithoutHeader = true; // observed: no Connection header, then close
                break;
            case RequestRejection.EncodedNul:
                break;
            default:
                _response.ConnectionClose = true; // a head we could not read leaves us lost in the stream
                break;
        }

        if (_parse.Line.Version == 9)
        {
            _parse.Line.Version = 1000; // answer a bad simple request with a full response
        }

        if (!_parse.LineParsed)
        {
            _parse.Line.Version = 1001;
        }

        SendErrorPage(status, RequestRejections.ErrorNotes(reason), useHost, omitContentLength: false);
    }

    /// <summary>Sends Apache's generated page for <paramref name="status"/> and completes the response.</summary>
    public void SendErrorPage(int status, string? notes, bool useRequestHost, bool omitContentLength)
    {
        if (_response.HeadSent)
        {
            _response.KeepAlive = false;
            return;
        }

        Response.BeginErrorResponse(); // Apache's error path: no content filters, Header always only
        // Like ap_send_error_response: the handler's fields are dropped, but not the
        // ones that explain the error.
        HttpResponseHeaders headers = Response.Headers;
        string? location = headers["Location"];
        string? allow = headers["Allow"];
        string? authenticate = headers["WWW-Authenticate"];

        // mod_negotiation's fields go to err_headers_out, which an error response keeps.
        string? vary = headers["Vary"], alternates = headers["Alternates"], tcn = headers["TCN"];
        headers.Clear();
        if (vary is not null)
        {
            headers.Set("Vary", vary);
        }

        if (alternates is not null)
        {
            headers.Set("Alternates", alternates);
        }

        if (tcn is not null)
        {
            headers.Set("TCN", tcn);
        }

        if (location is not null && status is >= 300 and < 400 or 201)
        {
            headers.Set("Location", location);
        }

        if (authenticate is not null)
        {
            headers.Set("WWW-Authenticate", authenticate);
        }

        if (status is 405 or 501)
        {
            headers.Set("Allow", allow ?? (status == 501 ? _options.UnknownMethodAllow : string.Empty));
        }

        // A reason phrase the handler set for this error (mod_proxy's "502 Proxy Error",
        // r->status_line) names the status line and the page, as in ap_send_error_response.
        string? reason = Response.StatusCode == status ? Response.ReasonPhrase : null;
        Response.StatusCode = status;
        Response.ReasonPhrase = reason;
        _response.BodyLength = 0;
        _response.HeadBodyCount = 0;
        if (HttpStatus.IsHeaderOnly(status))
        {
            Response.ContentType = null;
            FinishResponse();
            return;
        }

        Response.ContentType = HttpErrorPages.ContentType;
        _response.OmitContentLength = omitContentLength || _parse.Line.Method == HttpMethod.Head;
        _response.UnframedErrorPage = omitContentLength;
        if (_parse.Line.Method != HttpMethod.Head)
        {
            string? expect = Request.Headers["Expect"];
            string page = HttpErrorPages.Build(
                status,
                _parse.LineParsed ? MethodName : string.Empty,
                location,
                notes,
                expect,
                _context.Identity,
                useRequestHost ? HostName : null,
                useRequestHost ? HostPort : 0,
                reasonPhrase: reason);
            int length = Encoding.Latin1.GetByteCount(page);
            if (length <= BodyCapacity)
            {
                Encoding.Latin1.GetBytes(page, _out.AsSpan(HeadReserve));
                _response.BodyLength = length;
            }
            else
            {
                WriteBody(Encoding.Latin1.GetBytes(page));
            }
        }

        FinishResponse();
    }

    /// <summary>Remembers which field WriteHead refused, for the log line (only on refusal: the happy path makes no string).</summary>
    private void NoteRefusedField(FieldWrite result, string name, string value)
    {
        _response.Refusal = result;
        _response.RefusedName = name;
        _response.RefusedValue = value;
    }

    /// <summary>
    /// A response field would have split the head (CR, LF, NUL ...): Apache's ap_http_header_filter
    /// logs check_header's complaint, drops every field and answers 500 with its page instead
    /// (ap_die, naming the status the handler had set as the error met on the way), and the
    /// connection closes. Nothing of the refused head goes out.
    /// </summary>
    private void RefuseHead(int refusedStatus)
    {
        string name = _response.RefusedName ?? string.Empty;
        string message = _response.Refusal == FieldWrite.BadValue
            ? "AH02430: Response header '" + name + "' value of '" + _response.RefusedValue + "' contains invalid characters, aborting request"
            : name.Length == 0
                ? "AH02428: Empty response header name, aborting request"
                : "AH02429: Response header name '" + name + "' contains invalid characters, aborting request";
        _errorLog?.Write(LogLevel.Error, "http", message, ClientText());

        _response.HeadRefused = true;
        _response.ConnectionClose = true;
        _response.OmitContentLength = true;
        Response.Headers.Clear();
        Response.StatusCode = 500;
        Response.ReasonPhrase = null;
        Response.ContentType = HttpErrorPages.ContentType;
        _response.BodyLength = 0;
        _response.HeadBodyCount = 0;
        if (_parse.Line.Method == HttpMethod.Head)
        {
            return;
        }

        string page = HttpErrorPages.Build(
            500,
            _parse.LineParsed ? MethodName : string.Empty,
            null,
            null,
            null,
            _context.Identity,
            HostName,
            HostPort,
            recursiveError: refusedStatus == 200 ? 0 : refusedStatus);
        _response.BodyLength = Encoding.Latin1.GetBytes(page, _out.AsSpan(HeadReserve, BodyCapacity));
    }
}
