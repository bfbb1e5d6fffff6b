using System.Collections.Generic;

namespace Pluma.FunctionalTests;

/// <summary>
/// Raw requests on the HTTP layer's edges (issue 11, item 4) where Pluma once answered
/// differently from Debian's apache2 on the stock tree (HttpProtocolOptions Strict): the
/// Content-Length grammar, merged and folded fields against LimitRequestFieldSize, CONNECT,
/// absolute URIs of other schemes, Expect on a GET with a body, and Host names Strict refuses.
/// </summary>
internal static class DifferentialCasesHttp
{
    private const string Close = "Connection: close\r\n";
    private const string ToSmall = "POST /files/small.txt HTTP/1.1\r\nHost: localhost\r\n" + Close;

    public static IEnumerable<DifferentialCase> Cases { get; } =
    [
        // Leading zeros are digits (ap_parse_strict_length): any number of them.
        new("Content-Length of thirty zeros", ToSmall + "Content-Length: 000000000000000000000000000000\r\n\r\n"),
        new("Content-Length 5 after twenty-five zeros", ToSmall + "Content-Length: 00000000000000000000000005\r\n\r\nhello"),
        new("Content-Length of 2^63 - 1 after zeros (413, over LimitRequestBody)", ToSmall + "Content-Length: 0009223372036854775807\r\n\r\n"),
        new("Content-Length past 2^63 - 1", ToSmall + "Content-Length: 9223372036854775808\r\n\r\n"),
        new("Content-Length of twenty nines", ToSmall + "Content-Length: 99999999999999999999\r\n\r\n"),

        // Apache joins repeated fields with ", " and holds the result to LimitRequestFieldSize (8190).
        new("Repeated field merged to exactly LimitRequestFieldSize", Repeated(4094)),
        new("Repeated field merged past LimitRequestFieldSize", Repeated(4095)),
        new("Three repeated fields merged past LimitRequestFieldSize, names in other cases", "GET /files/small.txt HTTP/1.1\r\nHost: localhost\r\nX-A: " + new string('a', 3000) + "\r\nx-a: " + new string('b', 3000) + "\r\nX-a: " + new string('c', 3000) + "\r\n" + Close + "\r\n"),

        // CONNECT takes authority-form only; the default handler refuses the method.
        new("CONNECT with an authority target", "CONNECT localhost:443 HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("CONNECT with an authority target over HTTP/1.0", "CONNECT localhost:443 HTTP/1.0\r\n\r\n"),
        new("CONNECT with a path", "CONNECT /files/small.txt HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("CONNECT without a port", "CONNECT localhost HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("CONNECT with an asterisk", "CONNECT * HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),

        // Absolute URIs: http names the host; https on a plain connection leaves it to Host; others are refused.
        new("Absolute URI with the ftp scheme", "GET ftp://other/files/small.txt HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("Absolute URI with an unknown scheme over HTTP/1.0", "GET x-y://other/files/small.txt HTTP/1.0\r\n\r\n"),
        new("Absolute URI with the https scheme names no host", "GET https://other/nope HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("Absolute URI with the http scheme in capitals names the host", "GET HTTP://other/nope HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),

        // The default handler reads a GET's body (100 Continue first) and keeps the connection.
        new("Expect 100-continue on a GET with a body", "GET /files/small.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n", BodyAfterContinue: "hello"),
        new("Expect 100-continue on a GET without a body", "GET /files/small.txt HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\n\r\n"),

        // Strict: methods and field names are tokens, field values hold no control but HT.
        new("Method with a non-token character", "G(T /files/small.txt HTTP/1.1\r\nHost: localhost\r\n" + Close + "\r\n"),
        new("Field name with a non-token character", "GET /files/small.txt HTTP/1.1\r\nHost: localhost\r\nX(A: ab\r\n" + Close + "\r\n"),
        new("Control character in a field value", "GET /files/small.txt HTTP/1.1\r\nHost: localhost\r\nX-A: a\u0001b\r\n" + Close + "\r\n"),

        // HttpProtocolOptions Strict (vhost.c strict_hostname_check) and apr_parse_addr_port.
        HostCase("123"),
        HostCase("1.2.3"),
        HostCase("1.2.3.4.5"),
        HostCase("01.2.3.4"),
        HostCase("a.1b"),
        HostCase("a.b1"),
        HostCase("1.2.3.4."),
        HostCase("a_b"),
        HostCase("localhost:"),
        HostCase("localhost:0"),
        HostCase("a..b"),
        HostCase("[::1]"),
        HostCase("[:::1]"),
        HostCase("[1.2.3.4]"),
        HostCase("[::ffff:1.2.3.4]"),
    ];

    private static string Repeated(int eachLength) =>
        "GET /files/small.txt HTTP/1.1\r\nHost: localhost\r\nX-A: " + new string('a', eachLength) + "\r\nX-A: " + new string('b', eachLength) + "\r\n" + Close + "\r\n";

    private static DifferentialCase HostCase(string host) =>
        new("Host: " + host, "GET /files/small.txt HTTP/1.1\r\nHost: " + host + "\r\n" + Close + "\r\n");
}
