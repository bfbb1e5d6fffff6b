using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>Both servers with mod_allowmethods: AllowMethods on d/, reset on d/sub.</summary>
public sealed class AllowMethodsServers : IDisposable
{
    internal const string Config = """
        Include mods-available/allowmethods.load
        <Directory ${PLUMA_WWW}/html/d>
          AllowMethods GET POST OPTIONS
        </Directory>
        <Directory ${PLUMA_WWW}/html/d/sub>
          AllowMethods reset
        </Directory>
        """;

    public AllowMethodsServers()
    {
        Servers = new DifferentialOutputServers(Config);
    }

    internal DifferentialOutputServers Servers { get; }

    public void Dispose() => Servers.Dispose();
}

/// <summary>AllowMethods: 405 with Allow: TRACE and AH01623 for another method, GET covering HEAD, reset lifting it, as Debian's apache2.</summary>
public sealed class DifferentialAllowMethodsTests : IClassFixture<AllowMethodsServers>
{
    private readonly DifferentialOutputServers _servers;

    public DifferentialAllowMethodsTests(AllowMethodsServers servers)
    {
        _servers = servers.Servers;
    }

    [Theory]
    [InlineData("GET", "/d/tiny.txt")]
    [InlineData("HEAD", "/d/tiny.txt")]
    [InlineData("PUT", "/d/tiny.txt")]
    [InlineData("DELETE", "/d/tiny.txt")]
    public void AllowMethodsAnswersAsDebiansApacheDoes(string method, string path)
    {
        string request = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        (int Status, string? Allow) apache = Answer(_servers.ApachePort, request, method == "HEAD");
        (int Status, string? Allow) pluma = Answer(_servers.PlumaPort, request, method == "HEAD");
        Assert.Equal(apache, pluma);
        if (apache.Status == 405 && path == "/d/tiny.txt")
        {
            Assert.Contains("AH01623: client method denied by server configuration: '" + method + "' to ", _servers.PlumaTree.ErrorLog, StringComparison.Ordinal);
        }
    }

    private static (int, string?) Answer(int port, string request, bool head)
    {
        using var c = new RawHttp(port);
        c.Send(request);
        HttpResponseText r = c.ReadResponse(head);
        return (r.Status, r.Header("Allow"));
    }
}
