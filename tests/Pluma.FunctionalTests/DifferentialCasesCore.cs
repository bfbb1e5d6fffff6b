namespace Pluma.FunctionalTests;

/// <summary>
/// Stock-tree cases for core behaviour, autoindex and mod_setenvif (issue 11). Debian's setenvif.conf says
/// BrowserMatch "Mozilla/2" nokeepalive, "MSIE 4\.0b2;" nokeepalive downgrade-1.0
/// force-response-1.0, and "RealPlayer 4\.0" force-response-1.0; both servers must honour the
/// variables the same way (status line, framing, whether the connection stays open). Listed in
/// <see cref="DifferentialCases"/> with the others.
/// </summary>
internal static class DifferentialCasesCore
{
    public static DifferentialCase[] Cases { get; } =
    [
        new("setenvif: nokeepalive closes an HTTP/1.1 connection", "GET /files/small.txt HTTP/1.1\r\nHost: localhost\r\nUser-Agent: Mozilla/2\r\n\r\n"),
        new("setenvif: nokeepalive is ignored behind a proxy (Via)", "GET /files/small.txt HTTP/1.1\r\nHost: localhost\r\nUser-Agent: Mozilla/2\r\nVia: 1.1 proxy\r\n\r\n"),
        new("setenvif: downgrade-1.0 and force-response-1.0 on HTTP/1.1", "GET /files/small.txt HTTP/1.1\r\nHost: localhost\r\nUser-Agent: Mozilla/4.0 (compatible; MSIE 4.0b2; Windows 95)\r\n\r\n"),
        new("setenvif: downgrade-1.0 on a generated listing (no chunks)", "GET /files/ HTTP/1.1\r\nHost: localhost\r\nUser-Agent: MSIE 4.0b2;\r\n\r\n", DifferentialBody.TitleOnly),
        new("setenvif: downgrade-1.0 on an error page", "GET /no-such-file HTTP/1.1\r\nHost: localhost\r\nUser-Agent: MSIE 4.0b2;\r\n\r\n"),
        new("setenvif: force-response-1.0 on HTTP/1.0 with keep-alive", "GET /files/small.txt HTTP/1.0\r\nUser-Agent: RealPlayer 4.0\r\nConnection: keep-alive\r\n\r\n"),
        new("setenvif: force-response-1.0 leaves HTTP/1.1 alone", "GET /files/small.txt HTTP/1.1\r\nHost: localhost\r\nUser-Agent: RealPlayer 4.0\r\n\r\n"),
        new("HEAD of a generated listing has no Content-Length", "HEAD /files/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", HeadRequest: true),
        new("autoindex F=0: a plain list", "GET /files/?F=0 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
        new("autoindex F=0 sorted by date", "GET /files/?C=M;O=D;F=0 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
        new("POST to a directory listing", "POST /files/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
        new("A file name longer than the file system allows", "GET /files/" + new string('a', 300) + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
        new("A dangling symbolic link", "GET /files/dangling HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
        new("An IPv6 literal Host in the error page signature", "GET /no-such-file HTTP/1.1\r\nHost: [::1]\r\nConnection: close\r\n\r\n"),
        new("An IPv6 literal Host with a port in the error page signature", "GET /no-such-file HTTP/1.1\r\nHost: [::1]:8080\r\nConnection: close\r\n\r\n"),
        new("OPTIONS on a file", "OPTIONS /files/small.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
        new("OPTIONS on a directory", "OPTIONS /files/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
        new("OPTIONS on a missing file", "OPTIONS /no-such-file HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
        new("setenvif: BrowserMatch is case-sensitive", "GET /files/small.txt HTTP/1.1\r\nHost: localhost\r\nUser-Agent: mozilla/2\r\n\r\n"),
    ];

    /// <summary>What these cases need beside DifferentialServers' files: a symbolic link to nothing.</summary>
    public static void AddFiles(string files) => System.IO.File.CreateSymbolicLink(System.IO.Path.Combine(files, "dangling"), "/nonexistent/pluma-differential");
}
