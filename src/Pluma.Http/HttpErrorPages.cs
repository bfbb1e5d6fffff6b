using System.Globalization;
using System.Text;

namespace Pluma.Http;

/// <summary>
/// Apache's generated error pages (ap_send_error_response and get_canned_error_string in
/// http_protocol.c, 2.4.71 wording), byte for byte, so the application and the engine answer alike.
/// </summary>
public static class HttpErrorPages
{
    /// <summary>The Content-Type Apache gives its pages.</summary>
    public const string ContentType = "text/html; charset=iso-8859-1";

    /// <summary>
    /// The whole page for <paramref name="statusCode"/>. <paramref name="hostName"/> and
    /// <paramref name="port"/> are what the footer prints (the request's Host, else ServerName).
    /// </summary>
    /// <param name="recursiveError">
    /// A status the request already had when this error struck (ap_die's recursive_error): the
    /// page then says so in Apache's words; 0 for none.
    /// </param>
    /// <param name="reasonPhrase">The handler's own reason phrase for the status (r->status_line), or null for Apache's.</param>
    public static string Build(int statusCode, string method, string? location, string? errorNotes, string? expect, ServerIdentity identity, string? hostName, int port, int recursiveError = 0, string? reasonPhrase = null)
    {
        string reason = reasonPhrase ?? HttpStatus.ReasonPhrase(statusCode) ?? string.Empty;
        var sb = new StringBuilder(512);
        sb.Append("<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"http://www.w3.org/TR/html4/strict.dtd\">\n<html><head>\n<title>")
          .Append(statusCode.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(reason)
          .Append("</title>\n</head><body>\n<h1>").Append(reason).Append("</h1>\n")
          .Append(Canned(statusCode, method, location, errorNotes, expect, identity));
        if (recursiveError != 0)
        {
            // ap_send_error_response: status_lines[] gives "302 Found".
            sb.Append("<p>Additionally, a ").Append(recursiveError.ToString(CultureInfo.InvariantCulture)).Append(' ')
              .Append(HttpStatus.ReasonPhrase(recursiveError) ?? string.Empty)
              .Append("\nerror was encountered while trying to use an ErrorDocument to handle the request.</p>\n");
        }

        AppendSignature(sb, identity, hostName, port);
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    /// <summary>The footer line (ap_psignature with "&lt;hr&gt;\n"), empty when ServerSignature is Off.</summary>
    public static void AppendSignature(StringBuilder sb, ServerIdentity identity, string? hostName, int port)
    {
        if (identity.Signature == ServerSignature.Off)
        {
            return;
        }

        // An IPv6 literal Host ("[::1]:8080") is named without its brackets, as r->hostname
        // holds it (vhost.c fix_hostname): "Server at ::1 Port 8080".
        if (hostName is ['[', .., ']'])
        {
            hostName = hostName[1..^1];
        }

        string name = EscapeHtml(string.IsNullOrEmpty(hostName) ? identity.ServerName : hostName);
        string portText = (port != 0 ? port : identity.Port != 0 ? identity.Port : 80).ToString(CultureInfo.InvariantCulture);
        sb.Append("<hr>\n<address>").Append(identity.Banner).Append(" Server at ");
        if (identity.Signature == ServerSignature.EMail)
        {
            string admin = identity.ServerAdmin;
            // ap_psignature: "mailto:" unless ServerAdmin is a URL (ap_is_url), so also before
            // a bare name and before "[no address given]".
            sb.Append("<a href=\"").Append(IsUrl(admin) ? string.Empty : "mailto:")
              .Append(EscapeHtml(admin)).Append("\">").Append(name).Append("</a>");
        }
        else
        {
            sb.Append(name);
        }

        sb.Append(" Port ").Append(portText).Append("</address>\n");
    }

    /// <summary>util.c ap_is_url: a scheme (letters, digits, '+', '-', '.') of one character or more, then ':'.</summary>
    private static bool IsUrl(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        foreach (char c in text.AsSpan(0, colon))
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Canned(int status, string method, string? location, string? notes, string? expect, ServerIdentity identity)
    {
        string m = EscapeHtml(method);
        switch (status)
        {
            case 301 or 302 or 307 or 308:
                return "<p>The document has moved <a href=\"" + EscapeHtml(location ?? string.Empty) + "\">here</a>.</p>\n";
            case 303:
                return "<p>The answer to your request is located <a href=\"" + EscapeHtml(location ?? string.Empty) + "\">here</a>.</p>\n";
            case 305:
                return "<p>This resource is only accessible through the proxy\n<br />\nYou will need to configure your client to use that proxy.</p>\n";
            case 401 or 407:
                return "<p>This server could not verify that you\nare authorized to access the document\nrequested.  Either you supplied the wrong\ncredentials (e.g., bad password), or your\nbrowser doesn't understand how to supply\nthe credentials required.</p>\n";
            case 400:
                return "<p>Your browser sent a request that this server could not understand.<br />\n" + notes + "</p>\n";
            case 403:
                return "<p>You don't have permission to access this resource." + notes + "</p>\n";
            case 404:
                return "<p>The requested URL was not found on this server.</p>\n";
            case 405:
                return "<p>The requested method " + m + " is not allowed for this URL.</p>\n";
            case 406:
                return "<p>An appropriate representation of the requested resource could not be found on this server.</p>\n" + notes;
            case 300:
                return notes ?? string.Empty;
            case 411:
                return "<p>A request of the requested method " + m + " requires a valid Content-length.<br />\n" + notes + "</p>\n";
            case 412:
                return "<p>The precondition on the request for this URL evaluated to false.</p>\n";
            case 501:
                return "<p>" + m + " not supported for current URL.<br />\n" + notes + "</p>\n";
            case 502:
                return "<p>The proxy server received an invalid\r\nresponse from an upstream server.<br />\r\n" + notes + "</p>\n";
            case 506:
                return "<p>A variant for the requested resource\n<pre>\n\n</pre>\nis itself a negotiable resource. This indicates a configuration error.</p>\n";
            case 408:
                return "<p>Server timeout waiting for the HTTP request from the client.</p>\n";
            case 410:
                return "<p>The requested resource is no longer available on this server and there is no forwarding address.\nPlease remove all references to this resource.</p>\n";
            case 413:
                return "The requested resource does not allow request data with " + m + " requests, or the amount of data provided in\nthe request exceeds the capacity limit.\n";
            case 414:
                return "<p>The requested URL's length exceeds the capacity\nlimit for this server.<br />\n" + notes + "</p>\n";
            case 415:
                return "<p>The supplied request data is not in a format\nacceptable for processing by this resource.</p>\n";
            case 416:
                return "<p>None of the range-specifier values in the Range\nrequest-header field overlap the current extent\nof the selected resource.</p>\n";
            case 417:
                string head = expect is null
                    ? "<p>No expectation was seen, the Expect request-header \nfield was not presented by the client.\n"
                    : "<p>The expectation given in the Expect request-header\nfield could not be met by this server.\nThe client sent<pre>\n    Expect: " + EscapeHtml(expect) + "\n</pre>\n";
                return head + notes + "</p><p>Only the 100-continue expectation is supported.</p>\n";
            case 422:
                return "<p>The server understands the media type of the\nrequest entity, but was unable to process the\ncontained instructions.</p>\n";
            case 423:
                return "<p>The requested resource is currently locked.\nThe lock must be released or proper identification\ngiven before the method can be applied.</p>\n";
            case 424:
                return "<p>The method could not be performed on the resource\nbecause the requested action depended on another\naction and that other action failed.</p>\n";
            case 426:
                return "<p>The requested resource can only be retrieved\nusing SSL.  The server is willing to upgrade the current\nconnection to SSL, but your client doesn't support it.\nEither upgrade your client, or try requesting the page\nusing https://\n";
            case 428:
                return "<p>The request is required to be conditional.</p>\n";
            case 429:
                return "<p>The user has sent too many requests\nin a given amount of time.</p>\n";
            case 431:
                return "<p>The server refused this request because\nthe request header fields are too large.</p>\n";
            case 507:
                return "<p>The method could not be performed on the resource\nbecause the server is unable to store the\nrepresentation needed to successfully complete the\nrequest.  There is insufficient free space left in\nyour storage allocation.</p>\n";
            case 503:
                return "<p>The server is temporarily unable to service your\nrequest due to maintenance downtime or capacity\nproblems. Please try again later.</p>\n";
            case 504:
                return "<p>The gateway did not receive a timely response\nfrom the upstream server or application.</p>\n";
            case 508:
                return "<p>The server terminated an operation because\nit encountered an infinite loop.</p>\n";
            case 510:
                return "<p>A mandatory extension policy in the request is not\naccepted by the server for this resource.</p>\n";
            case 511:
                return "<p>The client needs to authenticate to gain\nnetwork access.</p>\n";
            case 421:
                return "<p>The client needs a new connection for this\nrequest as the requested host name does not match\nthe Server Name Indication (SNI) in use for this\nconnection.</p>\n";
            case 451:
                return "<p>Access to this URL has been denied for legal reasons.<br />\n" + notes + "</p>\n";
            default:
                return "<p>The server encountered an internal error or\nmisconfiguration and was unable to complete\nyour request.</p>\n<p>Please contact the server administrator at \n "
                    + EscapeHtml(identity.ServerAdmin)
                    + " to inform them of the time this error occurred,\n and the actions you performed just before this error.</p>\n<p>More information about this error may be available\nin the server error log.</p>\n";
        }
    }

    /// <summary>ap_escape_html: only &lt; &gt; &amp; and the double quote are replaced.</summary>
    public static string EscapeHtml(string text)
    {
        if (text.AsSpan().IndexOfAny("<>&\"") < 0)
        {
            return text;
        }

        return text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);
    }
}
