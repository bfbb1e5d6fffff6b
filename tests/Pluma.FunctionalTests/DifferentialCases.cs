using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Pluma.FunctionalTests;

/// <summary>
/// The table of raw requests sent to Debian's apache2 and to Pluma. Most ask for
/// <c>Connection: close</c> so the answer ends with the connection; the HTTP/1.0 and Expect
/// cases leave it to the server, and the comparison then includes whether it stayed open.
/// </summary>
internal static class DifferentialCases
{
    private const string Close = "Connection: close\r\n";

    // files/small.txt is 6 bytes written at 2026-01-01T00:00:00Z (DifferentialServers); Apache
    // 2.4's ETag is "size-mtime", both in hex, mtime in microseconds (FileETag MTime Size).
    private static readonly string s_smallETag = "\"6-" + ((DifferentialServers.FileTime - DateTime.UnixEpoch).Ticks / 10).ToString("x", CultureInfo.InvariantCulture) + "\"";

    public static IReadOnlyDictionary<string, DifferentialCase> All { get; } = Build(
    [
        new("GET /", "GET / HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("HEAD /", "HEAD / HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n", HeadRequest: true),
        new("GET a missing file", "GET /no-such-file HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("GET a directory without slash", "GET /files HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("GET a directory listing", "GET /files/ HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n", DifferentialBody.TitleOnly),
        new("Range single", "GET /files/big.bin HTTP/1.1\r\nHost: localhost\r\nRange: bytes=10-19\r\n" + Close + "\r\n"),
        new("Range suffix", "GET /files/big.bin HTTP/1.1\r\nHost: localhost\r\nRange: bytes=-5\r\n" + Close + "\r\n"),
        new("Range multiple", "GET /files/small.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-1,3-4\r\n" + Close + "\r\n"),
        new("Range unsatisfiable", "GET /files/small.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=100-200\r\n" + Close + "\r\n"),
        new("If-None-Match with the current ETag", "GET /files/small.txt HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: " + s_smallETag + "\r\n" + Close + "\r\n"),
        new("If-Modified-Since the file time", "GET /files/small.txt HTTP/1.1\r\nHost: localhost\r\nIf-Modified-Since: Thu, 01 Jan 2026 00:00:00 GMT\r\n" + Close + "\r\n"),
        new("OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("HTTP/1.0 without keep-alive", "GET /files/small.txt HTTP/1.0\r\n\r\n"),
        new("HTTP/1.0 with keep-alive", "GET /files/small.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"),
        new("HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n"),
        new("Header line without colon", "GET / HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n"),
        // Debian leaves LimitRequestLine at Apache's 8190.
        new("Request line over LimitRequestLine", "GET /" + new string('a', 9000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n"),
        // Found by fuzz/ (request-parser): a line over the limit is 414/400-too-long however it
        // ends; Pluma said "bad request" when the bare LF was in the same read as the line.
        new("Request line over LimitRequestLine ended by a bare LF", "GET /" + new string('a', 9000) + " HTTP/1.1\nHost: localhost\n\n"),
        new("Header field over LimitRequestFieldSize ended by a bare LF", "GET / HTTP/1.1\r\nHost: localhost\r\nX-Long: " + new string('b', 9000) + "\n\r\n"),
        new("Unknown method", "FROB / HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        // Debian's conf-enabled/security.conf says TraceEnable Off.
        new("TRACE", "TRACE / HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        // AllowEncodedSlashes Off: an encoded slash is refused with 404 before mapping.
        new("Encoded slash in the path", "GET /files%2fsmall.txt HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("Dot-dot above the root", "GET /../../etc/passwd HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("Encoded dot-dot above the root", "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("Chunked POST to a static file", "POST /files/small.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n" + Close + "\r\n5\r\nhello\r\n0\r\n\r\n"),
        new("Expect 100-continue on a POST", "POST /files/small.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nExpect: 100-continue\r\n" + Close + "\r\n", BodyAfterContinue: "hello"),
        new("Expect with an unknown expectation", "GET /files/small.txt HTTP/1.1\r\nHost: localhost\r\nExpect: something\r\n\r\n"),
        .. DifferentialCasesCore.Cases,
    ]);

    public static IEnumerable<string> Names => All.Keys;

    private static Dictionary<string, DifferentialCase> Build(DifferentialCase[] cases)
    {
        var all = new Dictionary<string, DifferentialCase>(StringComparer.Ordinal);
        foreach (DifferentialCase c in cases.Concat(DifferentialCasesHttp.Cases))
        {
            all.Add(c.Name, c);
        }

        return all;
    }
}
