using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>mod_negotiation in the real binary: MultiViews, Accept-Language, 406 and a type map (<see cref="NegotiationSite"/>).</summary>
public sealed class NegotiationTests : IClassFixture<NegotiationTests.Server>
{
    private readonly Server _server;

    public NegotiationTests(Server server)
    {
        _server = server;
    }

    private HttpResponseText Get(string target, params string[] fields)
    {
        using var c = new RawHttp(_server.Tree.Port);
        c.Send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + string.Concat(Array.ConvertAll(fields, f => f + "\r\n")) + "Connection: close\r\n\r\n");
        return c.ReadResponse();
    }

    [Theory]
    [InlineData("fr", "index.html.fr", "francais\n")]
    [InlineData("de, fr;q=0.5", "index.html.de", "deutsch!\n")]
    [InlineData("de;q=0.4, fr;q=0.5", "index.html.fr", "francais\n")]
    [InlineData("it", "index.html.en", "english\n")] // ForceLanguagePriority Fallback: Debian's LanguagePriority starts with en
    [InlineData("en-US", "index.html.en", "english\n")]
    public void MultiViewsServesTheLanguageAsked(string acceptLanguage, string variant, string body)
    {
        HttpResponseText r = Get("/mv/index.html", "Accept-Language: " + acceptLanguage);
        Assert.Equal(200, r.Status);
        Assert.Equal(variant, r.Header("Content-Location"));
        Assert.Equal(variant[^2..], r.Header("Content-Language"));
        Assert.Equal("negotiate,accept-language", r.Header("Vary"));
        Assert.Equal("choice", r.Header("TCN"));
        Assert.Equal("text/html", r.Header("Content-Type"));
        Assert.Equal(body, r.BodyText);
        Assert.EndsWith(";" + ((DifferentialServers.FileTime - DateTime.UnixEpoch).Ticks / 10).ToString("x", System.Globalization.CultureInfo.InvariantCulture), r.Header("ETag"));
    }

    [Fact]
    public void DirectoryIndexIsNegotiatedToo()
    {
        HttpResponseText r = Get("/mv/", "Accept-Language: de");
        Assert.Equal(200, r.Status);
        Assert.Equal("index.html.de", r.Header("Content-Location"));
        Assert.Equal("deutsch!\n", r.BodyText);
    }

    [Fact]
    public void NothingAcceptableIs406WithTheVariantList()
    {
        HttpResponseText r = Get("/mv/index", "Accept: image/png");
        Assert.Equal(406, r.Status);
        Assert.Equal("list", r.Header("TCN"));
        Assert.Contains("{\"index.html.fr\" 1 {type text/html} {language fr} {length 9}}", r.Header("Alternates"), StringComparison.Ordinal);
        Assert.Contains("<li><a href=\"index.html.de\">index.html.de</a> , type text/html, language de</li>", r.BodyText, StringComparison.Ordinal);
        Assert.Contains("AH00690: no acceptable variant: ", _server.Tree.ErrorLog, StringComparison.Ordinal);

        HttpResponseText none = Get("/nolp/index.html", "Accept-Language: it");
        Assert.Equal(406, none.Status); // ForceLanguagePriority None
    }

    [Fact]
    public void TcnClientGets300()
    {
        HttpResponseText r = Get("/mv/index", "Negotiate: trans", "Accept-Language: it");
        Assert.Equal(300, r.Status);
        Assert.Contains("Available variants:", r.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public void TypeMapRedirectsToAnEntryOrServesItsBody()
    {
        HttpResponseText entry = Get("/mv/map.var", "Accept-Language: fr");
        Assert.Equal(200, entry.Status);
        Assert.Equal("<p>en map</p>\n", entry.BodyText); // fr's qs=0.5 halves it; en stays acceptable by Fallback
        Assert.Equal("accept,accept-language", entry.Header("Vary"));
        Assert.Null(entry.Header("TCN"));

        HttpResponseText body = Get("/mv/map.var", "Accept-Language: de");
        Assert.Equal(200, body.Status);
        Assert.Equal("Hallo inline\n", body.BodyText);
        Assert.Equal("text/plain", body.Header("Content-Type"));
        Assert.Equal("de", body.Header("Content-Language"));
    }

    [Fact]
    public void NamesMimeDoesNotKnowAreNotVariants()
    {
        Assert.Equal(404, Get("/mv/weird").Status);
        Assert.Contains("AH00687: Negotiation: discovered file(s) matching request: ", _server.Tree.ErrorLog, StringComparison.Ordinal);
        Assert.Equal(404, Get("/index", "Accept-Language: fr").Status); // no MultiViews at the top
    }

    [Fact]
    public void AVariantItsSectionsDenyIsNeverChosen()
    {
        // Each variant is looked up as a sub-request with the whole access phase (mod_negotiation's
        // read_types_multi skips a variant whose sub-request is not OK).
        HttpResponseText r = Get("/mvdeny/secret", "Accept-Language: en");
        Assert.DoesNotContain("denied english", r.BodyText, StringComparison.Ordinal);
        Assert.Equal(403, Get("/mvdeny/secret.html.en").Status);
    }

    public sealed class Server : IDisposable
    {
        public Server()
        {
            Tree = new TempConfTree();
            NegotiationSite.AddTo(Tree);
            Process = PlumaServer.Start(Tree);
        }

        public TempConfTree Tree { get; }

        public PlumaServer Process { get; }

        public void Dispose()
        {
            Process.Dispose();
            Tree.Dispose();
        }
    }
}
