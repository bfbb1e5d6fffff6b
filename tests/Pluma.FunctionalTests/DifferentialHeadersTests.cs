using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>Both servers with mod_expires and mod_headers loaded and a Header/Expires set on d/.</summary>
public sealed class HeadersExpiresServers : IDisposable
{
    // Debian loads modules alphabetically: expires before headers.
    internal const string Config = """
        Include mods-available/expires.load
        Include mods-available/headers.load
        <Directory ${PLUMA_WWW}/html/d>
          Header set X-Test "hello"
          Header always set X-Always "yes"
          Header add X-Multi one
          Header add X-Multi two
          Header append X-App a
          Header append X-App b
          Header merge X-Merge a
          Header merge X-Merge a
          Header merge X-Merge b
          Header unset Accept-Ranges
          Header edit ETag "^\"([0-9a-f]+)-" "\"E$1-"
          Header set X-Env "%{NOPE}e"
          Header set X-If-Env "no" env=nothing
          Header set X-Not-Env "yes" env=!nothing
          Header set X-Expr "matched" "expr=%{REQUEST_URI} =~ m#/d/#"
          Header set X-No-Expr "matched" "expr=%{REQUEST_URI} =~ m#/nowhere/#"
          ExpiresActive On
          ExpiresByType text/plain "access plus 1 hour"
          ExpiresDefault A60
        </Directory>
        """;

    public HeadersExpiresServers()
    {
        Servers = new DifferentialOutputServers(Config);
    }

    internal DifferentialOutputServers Servers { get; }

    public void Dispose() => Servers.Dispose();
}

/// <summary>
/// mod_headers and mod_expires against Debian's apache2 on the same raw requests: every field
/// in the order sent (Date and Server left out; Expires shown as its distance from Date).
/// </summary>
public sealed class DifferentialHeadersTests : IClassFixture<HeadersExpiresServers>
{
    private readonly DifferentialOutputServers _servers;

    public DifferentialHeadersTests(HeadersExpiresServers servers)
    {
        _servers = servers.Servers;
    }

    [Theory]
    [InlineData("/d/tiny.txt")]
    [InlineData("/d/68.txt")]
    [InlineData("/d/missing.txt")]
    public void HeaderAndExpiresAnswerAsDebiansApacheDoes(string path)
    {
        string request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        string apache = Fields(_servers.ApachePort, request);
        string pluma = Fields(_servers.PlumaPort, request);
        Assert.True(apache == pluma, $"{path}\n--- apache2 ---\n{apache}\n--- pluma ---\n{pluma}");
    }

    internal static string Fields(int port, string request)
    {
        using var c = new RawHttp(port);
        c.Send(request);
        HttpResponseText r = c.ReadResponse();
        var text = new StringBuilder(r.StatusLine).Append('\n');
        DateTime date = DateTime.Parse(r.Header("Date")!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        foreach (KeyValuePair<string, string> field in r.Headers)
        {
            switch (field.Key)
            {
                case "Date" or "Server":
                    break;
                case "Expires":
                    DateTime expires = DateTime.Parse(field.Value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                    text.Append("Expires: Date + ").Append((long)(expires - date).TotalSeconds).Append(" s\n");
                    break;
                case "Content-Length" when r.Status == 404:
                    text.Append("Content-Length: (error page)\n");
                    break;
                default:
                    text.Append(field.Key).Append(": ").Append(field.Value).Append('\n');
                    break;
            }
        }

        return text.ToString();
    }
}
