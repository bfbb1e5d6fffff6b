using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Pluma.Testing;

namespace Pluma.FunctionalTests;

/// <summary>
/// One response as comparable text: the status line, the key headers in a fixed order, then
/// the body, with what may differ between two servers on the same tree replaced by a
/// placeholder (server token, date, port, multipart boundary).
/// </summary>
internal static partial class DifferentialView
{
    // Headers the comparison looks at; any other header (Vary from mod_deflate, ...) is ignored.
    private static readonly string[] s_keyHeaders =
    [
        "Server", "Date", "Last-Modified", "ETag", "Accept-Ranges", "Location", "Allow",
        "Content-Range", "Connection", "Keep-Alive", "Content-Type",
    ];

    public static string Render(HttpResponseText r, int port, DifferentialBody mode, bool headRequest)
    {
        var text = new StringBuilder();
        text.Append(r.StatusLine).Append('\n');
        string? boundary = Boundary(r.Header("Content-Type"));
        foreach (string name in s_keyHeaders)
        {
            string? value = r.Header(name);
            if (value is not null)
            {
                text.Append(name).Append(": ").Append(Normalise(HeaderValue(name, value), port, boundary)).Append('\n');
            }
        }

        bool hasBody = !headRequest && r.Status >= 200 && r.Status is not (204 or 304);
        string? contentLength = r.Header("Content-Length");
        if (!hasBody)
        {
            if (contentLength is not null)
            {
                text.Append("Content-Length: ").Append(contentLength).Append('\n');
            }

            return text.Append('\n').ToString();
        }

        if (mode == DifferentialBody.TitleOnly)
        {
            // The rest of a generated listing carries folder times: only the title is ours to compare.
            Match title = TitleLine().Match(r.BodyText);
            return text.Append('\n').Append(title.Success ? title.Value : "(no <title>)").Append('\n').ToString();
        }

        if (!IsText(r.Header("Content-Type")))
        {
            if (contentLength is not null)
            {
                text.Append("Content-Length: ").Append(contentLength).Append('\n');
            }

            return text.Append('\n').Append('(').Append(r.Body.Length).Append(" bytes, sha256 ")
                .Append(Convert.ToHexStringLower(SHA256.HashData(r.Body))).Append(")\n").ToString();
        }

        string body = Normalise(r.BodyText, port, boundary);
        if (contentLength is not null)
        {
            // The length of the normalised body: a server token or a boundary of another length
            // is not a difference, a wrong count of the rest is.
            long length = long.Parse(contentLength, CultureInfo.InvariantCulture) + body.Length - r.Body.Length;
            text.Append("Content-Length: ").Append(length.ToString(CultureInfo.InvariantCulture)).Append(" (normalised)\n");
        }

        return text.Append('\n').Append(body).Append('\n').ToString();
    }

    /// <summary>The words of a server-status?auto page before their colon, in order.</summary>
    public static string StatusKeys(string page)
    {
        var keys = new StringBuilder();
        foreach (string line in page.Split('\n'))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            // mod_status prints these only when CPU time, uptime or accesses are above zero at
            // that instant, which differs between two servers from one run to the next.
            if (colon > 0 && line[..colon] is "CPULoad" or "ReqPerSec" or "BytesPerSec" or "BytesPerReq" or "DurationPerReq")
            {
                continue;
            }

            keys.Append(colon > 0 ? line[..colon] : "(no key: " + (line.Length == 0 ? "empty" : "value") + ")").Append('\n');
        }

        return keys.ToString();
    }

    // Date is the time of the answer; Last-Modified and ETag stay exact, both trees hold the
    // same file times. Apache builds Allow from an apr_hash whose iteration order is seeded per
    // process ("OPTIONS,HEAD,GET,POST" from one child, "GET,POST,OPTIONS,HEAD" from the next):
    // only the set of methods is behaviour.
    private static string HeaderValue(string name, string value)
    {
        if (name == "Date" && HttpDateShape().IsMatch(value))
        {
            return "DATE";
        }

        if (name == "Allow")
        {
            string[] methods = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            Array.Sort(methods, StringComparer.Ordinal);
            return string.Join(',', methods) + " (sorted)";
        }

        return value;
    }

    private static string Normalise(string text, int port, string? boundary)
    {
        text = ServerToken().Replace(text, "SERVER-TOKEN");
        string p = port.ToString(CultureInfo.InvariantCulture);
        text = text.Replace(":" + p, ":PORT", StringComparison.Ordinal).Replace("Port " + p, "Port PORT", StringComparison.Ordinal);
        if (!string.IsNullOrEmpty(boundary))
        {
            text = text.Replace(boundary, "BOUNDARY", StringComparison.Ordinal);
        }

        return text;
    }

    private static string? Boundary(string? contentType)
    {
        if (contentType is null)
        {
            return null;
        }

        Match m = BoundaryParameter().Match(contentType);
        return m.Success ? m.Groups[1].Value : null;
    }

    private static bool IsText(string? contentType) =>
        contentType is null
        || contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase);

    // Apache/2.4.71 (Debian) and Pluma/0.1.0 (Unix): the ServerTokens OS form of either server.
    [GeneratedRegex(@"(?:Apache|Pluma)/[0-9][0-9.]* \([A-Za-z]+\)")]
    private static partial Regex ServerToken();

    [GeneratedRegex(@"^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$")]
    private static partial Regex HttpDateShape();

    [GeneratedRegex(@"boundary=""?([^"";\s]+)")]
    private static partial Regex BoundaryParameter();

    [GeneratedRegex(@"<title>.*</title>")]
    private static partial Regex TitleLine();
}
