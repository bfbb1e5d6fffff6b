using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// The same raw requests sent to Debian's apache2 and to bin/pluma, each serving its own copy
/// of the bundled tree: status line, key headers and bodies must agree once the server token,
/// dates, ports and multipart boundaries are normalised (<see cref="DifferentialView"/>).
/// </summary>
public sealed class DifferentialTests : IClassFixture<DifferentialServers>
{
    private readonly DifferentialServers _servers;

    public DifferentialTests(DifferentialServers servers)
    {
        _servers = servers;
    }

    public static TheoryData<string> Cases
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string name in DifferentialCases.Names)
            {
                data.Add(name);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PlumaAnswersTheRawRequestAsDebiansApacheDoes(string name)
    {
        DifferentialCase c = DifferentialCases.All[name];
        string apache = DifferentialExchange.Run(_servers.ApachePort, c);
        string pluma = DifferentialExchange.Run(_servers.PlumaPort, c);
        AssertSameTranscript(name, apache, pluma);
    }

    [Fact]
    public void ServerStatusAutoHasApachesKeysInApachesOrder()
    {
        // mod_status prints the per-second and per-request keys only once the server has been
        // up a second and counted a request: give both the same history first.
        ServerHeader(_servers.ApachePort);
        ServerHeader(_servers.PlumaPort);
        TimeSpan wait = TimeSpan.FromSeconds(2) - _servers.Uptime;
        if (wait > TimeSpan.Zero)
        {
            Thread.Sleep(wait);
        }

        string apache = StatusKeys(_servers.ApachePort);
        string pluma = StatusKeys(_servers.PlumaPort);
        AssertSameTranscript("server-status?auto keys", apache, pluma);
    }

    [Fact]
    public void EachServerSignsWithItsOwnToken()
    {
        // The normalisation hides the token: make sure each side really sent its own.
        Assert.StartsWith("Apache/2.4.", ServerHeader(_servers.ApachePort));
        Assert.StartsWith("Pluma/", ServerHeader(_servers.PlumaPort));
    }

    private static string StatusKeys(int port)
    {
        using var c = new RawHttp(port);
        c.Send("GET /server-status?auto HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        HttpResponseText r = c.ReadResponse();
        Assert.True(r.Status == 200, $"server-status?auto on port {port}: {r.StatusLine}");
        return DifferentialView.StatusKeys(r.BodyText);
    }

    private static string? ServerHeader(int port)
    {
        using var c = new RawHttp(port);
        c.Send("HEAD / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        return c.ReadResponse(headRequest: true).Header("Server");
    }

    /// <summary>Equality with both transcripts in full in the message: the difference is read, not guessed.</summary>
    private static void AssertSameTranscript(string name, string apache, string pluma)
    {
        if (apache != pluma)
        {
            Assert.Fail($"{name}: Pluma differs from Debian's apache2.\n===== apache2 =====\n{apache}===== pluma =====\n{pluma}=====");
        }
    }
}
