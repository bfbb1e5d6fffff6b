using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>Both servers with mod_headers: RequestHeader, expr= values and conditions, SetEnvIfExpr on d/.</summary>
public sealed class RequestHeaderServers : IDisposable
{
    internal const string Config = """
        Include mods-available/headers.load
        RequestHeader set X-Early "early-value" early
        <Directory ${PLUMA_WWW}/html/d>
          RequestHeader set X-Set "one"
          RequestHeader append X-App "b"
          RequestHeader merge X-Merge "a"
          RequestHeader add X-Add "two"
          RequestHeader unset X-Gone
          RequestHeader edit X-Edit "^(a+)" "[$1]"
          RequestHeader edit* X-Editall "a" "b"
          RequestHeader setifempty X-Empty "filled"
          RequestHeader set X-From-Expr "expr=%{tolower:%{HTTP:X-Up}}-%{md5:abc}-%{sha1:abc}"
          RequestHeader unset Accept-Encoding
          Header echo ^X-
          Header set X-Value "expr=%{REQUEST_URI} %{toupper:%{HTTP:X-Up}} %{base64:%{REQUEST_METHOD}} %{escape:a b/c} %{unescape:a%20b} %{unbase64:R0VU}"
          Header set X-In "yes" "expr=%{HTTP:X-Up} -in {'ABC', 'DEF'}"
          Header set X-Strmatch "yes" "expr=%{REQUEST_URI} -strmatch '/d/*.txt' && tolower(%{REQUEST_METHOD}) == 'get'"
          Header set X-Nomatch "yes" "expr=%{REQUEST_URI} -strcmatch '/D/*.HTML'"
          SetEnvIfExpr "%{HTTP:X-Up} == 'ABC'" up_abc=1 seen
          SetEnvIfExpr "%{REQUEST_URI} =~ /nowhere/" nowhere=1
          Header set X-Env "%{up_abc}e %{seen}e %{nowhere}e"
        </Directory>
        """;

    public RequestHeaderServers()
    {
        Servers = new DifferentialOutputServers(Config);
    }

    internal DifferentialOutputServers Servers { get; }

    public void Dispose() => Servers.Dispose();
}

/// <summary>
/// RequestHeader edits the request's fields before the handler (seen through Header echo, and by
/// mod_deflate: Accept-Encoding removed means no gzip), expr= values and conditions evaluate
/// ap_expr (a Vary for each request field they read), and SetEnvIfExpr sets variables, as in
/// Debian's apache2 on the same raw requests.
/// </summary>
public sealed class DifferentialRequestHeaderTests : IClassFixture<RequestHeaderServers>
{
    private readonly DifferentialOutputServers _servers;

    public DifferentialRequestHeaderTests(RequestHeaderServers servers)
    {
        _servers = servers.Servers;
    }

    [Theory]
    [InlineData("/d/tiny.txt", "X-Up: ABC\r\nX-App: a\r\nX-Merge: a\r\nX-Add: one\r\nX-Gone: x\r\nX-Edit: aaab\r\nX-Editall: banana\r\nAccept-Encoding: gzip\r\n")]
    [InlineData("/d/tiny.txt", "X-Up: xyz\r\nX-Empty: here\r\nX-Edit: bbb\r\n")]
    [InlineData("/d/page.html", "")]
    [InlineData("/d/missing.txt", "X-Up: DEF\r\n")]
    public void RequestHeaderAndExpressionsAnswerAsDebiansApacheDoes(string path, string fields)
    {
        string request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + fields + "Connection: close\r\n\r\n";
        string apache = DifferentialHeadersTests.Fields(_servers.ApachePort, request);
        string pluma = DifferentialHeadersTests.Fields(_servers.PlumaPort, request);
        Assert.True(apache == pluma, $"{path}\n--- apache2 ---\n{apache}\n--- pluma ---\n{pluma}");
    }
}
