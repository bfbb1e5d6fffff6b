using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Both servers with ServerSignature set per directory and per location over the stock tree's
/// server-wide On (security.conf), and two named virtual hosts whose ServerAdmin is a URL and a
/// bare name (ap_psignature's mailto: choice).
/// </summary>
public sealed class SignatureServers : IDisposable
{
    internal const string Config = """
        <Directory ${PLUMA_WWW}/html/files>
          Options +Indexes
          ServerSignature EMail
        </Directory>
        <Directory ${PLUMA_WWW}/html/files/sub>
          ServerSignature Off
        </Directory>
        <Location /files/sub/on>
          ServerSignature On
        </Location>
        <Location /quiet>
          ServerSignature Off
        </Location>
        """;

    public SignatureServers()
    {
        Servers = new DifferentialServers(tree =>
        {
            tree.AppendToMainConfig(Config);
            string port = tree.Port.ToString(CultureInfo.InvariantCulture);
            tree.WriteConf(Path.Combine("sites-enabled", "admins.conf"),
                "<VirtualHost *:" + port + ">\nServerName url.test\nServerAdmin http://url.test/contact\nServerSignature EMail\nDocumentRoot ${PLUMA_WWW}/html\n</VirtualHost>\n" +
                "<VirtualHost *:" + port + ">\nServerName bare.test\nServerAdmin webmaster\nServerSignature EMail\nDocumentRoot ${PLUMA_WWW}/html\n" +
                "<Location /loud>\nServerSignature On\n</Location>\n</VirtualHost>\n");
        });
    }

    internal DifferentialServers Servers { get; }

    public void Dispose() => Servers.Dispose();
}

/// <summary>
/// ServerSignature as Apache merges it per directory (ap_psignature reads r->per_dir_config):
/// the footer of error pages and listings, compared with Debian's apache2 (status and the
/// &lt;address&gt; line, the port normalised).
/// </summary>
public sealed partial class DifferentialSignatureTests : IClassFixture<SignatureServers>
{
    private readonly DifferentialServers _servers;

    public DifferentialSignatureTests(SignatureServers servers)
    {
        _servers = servers.Servers;
    }

    [Theory]
    [InlineData("/no-such-file", "localhost")] // server-wide On
    [InlineData("/files/no-such-file", "localhost")] // <Directory> EMail
    [InlineData("/files/sub/no-such-file", "localhost")] // a deeper <Directory> Off
    [InlineData("/files/sub/on/no-such-file", "localhost")] // <Location> over <Directory>
    [InlineData("/quiet/no-such-file", "localhost")] // <Location> Off over the server's On
    [InlineData("/files/", "localhost")] // the listing's footer, EMail
    [InlineData("/files/sub/", "localhost")] // the listing's footer, Off
    [InlineData("/no-such-file", "url.test")] // ServerAdmin a URL: no mailto:
    [InlineData("/no-such-file", "bare.test")] // ServerAdmin a bare name: mailto:
    [InlineData("/loud/no-such-file", "bare.test")] // a vhost's <Location> On
    public void TheFooterIsApachesForEachDirectory(string path, string host)
    {
        string request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
        string apache = Footer(_servers.ApachePort, request);
        string pluma = Footer(_servers.PlumaPort, request);
        Assert.True(apache == pluma, $"{host}{path}\n--- apache2 ---\n{apache}\n--- pluma ---\n{pluma}");
    }

    /// <summary>The status line and the page's &lt;address&gt; line (or "no footer").</summary>
    private static string Footer(int port, string request)
    {
        using var c = new RawHttp(port);
        c.Send(request);
        HttpResponseText r = c.ReadResponse();
        Match address = Address().Match(r.BodyText);
        string footer = address.Success
            ? ServerToken().Replace(address.Value, "SERVER").Replace(" Port " + port.ToString(CultureInfo.InvariantCulture), " Port PORT", StringComparison.Ordinal)
            : "no footer";
        return r.StatusLine + "\n" + footer;
    }

    [GeneratedRegex("<address>.*</address>")]
    private static partial Regex Address();

    [GeneratedRegex(@"(?:Apache|Pluma)/[0-9][0-9.]* \([A-Za-z]+\)")]
    private static partial Regex ServerToken();
}
