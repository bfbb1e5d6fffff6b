using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// mod_negotiation compared with Debian's apache2 on the same raw requests (<see cref="NegotiationSite"/>
/// in both trees): status, the negotiation fields (Content-Location, Vary, TCN, Alternates),
/// Content-Type, Content-Language, validators and body must agree.
/// </summary>
public sealed partial class DifferentialNegotiationTests : IClassFixture<DifferentialNegotiationTests.Servers>
{
    private static readonly string[] s_headers =
    [
        "Content-Location", "Alternates", "Vary", "TCN", "Last-Modified", "ETag", "Accept-Ranges", "Allow", "Expires",
        "Connection", "Content-Length", "Content-Type", "Content-Language", "Content-Encoding",
    ];

    private static readonly Dictionary<string, string> s_cases = new()
    {
        ["language chosen"] = Get("/mv/index.html", "Accept-Language: fr"),
        ["q-values decide"] = Get("/mv/index", "Accept-Language: de, fr;q=0.5"),
        ["q-values decide the other way"] = Get("/mv/index.html", "Accept-Language: de;q=0.4, fr;q=0.5"),
        ["no Accept-Language: LanguagePriority"] = Get("/mv/index.html"),
        ["unknown language falls back"] = Get("/mv/index.html", "Accept-Language: it"),
        ["en-US reaches en"] = Get("/mv/index.html", "Accept-Language: en-US"),
        ["directory index negotiated"] = Get("/mv/", "Accept-Language: fr"),
        ["type refused: 406"] = Get("/mv/index", "Accept: image/png"),
        ["TCN client: 300"] = Get("/mv/index", "Negotiate: trans", "Accept-Language: it"),
        ["TCN client lets the server choose"] = Get("/mv/index.html", "Negotiate: *", "Accept-Language: fr"),
        ["query string"] = Get("/mv/index.html?x=1", "Accept-Language: fr"),
        ["HEAD"] = "HEAD /mv/index.html HTTP/1.1\r\nHost: localhost\r\nAccept-Language: de\r\nConnection: close\r\n\r\n",
        ["type map entry"] = Get("/mv/map.var", "Accept-Language: fr"),
        ["type map body"] = Get("/mv/map.var", "Accept-Language: de"),
        ["type map body to HTTP/1.0"] = "GET /mv/map.var HTTP/1.0\r\nAccept-Language: de\r\n\r\n",
        ["type map body refuses PUT"] = "PUT /mv/map.var HTTP/1.1\r\nHost: localhost\r\nAccept-Language: de\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        ["map name through MultiViews"] = Get("/mv/map", "Accept-Language: fr"),
        ["type chosen by Accept"] = Get("/mv/doc", "Accept: text/plain"),
        ["type chosen by size"] = Get("/mv/doc"),
        ["HTTP/1.0 MultiViews"] = "GET /mv/doc HTTP/1.0\r\n\r\n",
        ["charset refused: 406"] = Get("/mv/utf", "Accept-Charset: iso-8859-1"),
        ["charset variant"] = Get("/mv/utf"),
        ["archive"] = Get("/mv/pkg.tar", "Accept-Encoding: gzip"),
        ["unknown extension: 404"] = Get("/mv/weird"),
        ["no type: 404"] = Get("/mv/only"),
        ["ForceLanguagePriority None: 406"] = Get("/nolp/index", "Accept-Language: it"),
        ["ForceLanguagePriority None on the index: 406"] = Get("/nolp/", "Accept-Language: it"),
        ["MultiViews off"] = Get("/index", "Accept-Language: fr"),
        ["a variant that negotiates itself: 506"] = Get("/mv/outer.var"),
        ["506 to HEAD"] = "HEAD /mv/outer.var HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        ["506 reached through MultiViews"] = Get("/mv/outer"),
        ["a TCN client gets the list, not 506"] = Get("/mv/outer.var", "Negotiate: trans"),
        ["the map variant not chosen: no 506"] = Get("/mv/safe.var"),
        ["the map variant chosen by Accept: 506"] = Get("/mv/safe.var", "Accept: text/html"),
    };

    private readonly Servers _servers;

    public DifferentialNegotiationTests(Servers servers)
    {
        _servers = servers;
    }

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (string name in s_cases.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PlumaNegotiatesAsDebiansApacheDoes(string name)
    {
        string request = s_cases[name];
        string apache = Exchange(_servers.Both.ApachePort, request);
        string pluma = Exchange(_servers.Both.PlumaPort, request);
        if (apache != pluma)
        {
            Assert.Fail($"{name}: Pluma differs from Debian's apache2.\n===== apache2 =====\n{apache}===== pluma =====\n{pluma}=====");
        }
    }

    private static string Get(string target, params string[] fields) =>
        "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + string.Concat(Array.ConvertAll(fields, f => f + "\r\n")) + "Connection: close\r\n\r\n";

    private static string Exchange(int port, string request)
    {
        using var c = new RawHttp(port);
        c.Send(request);
        HttpResponseText r = c.ReadResponse(headRequest: request.StartsWith("HEAD", StringComparison.Ordinal));
        var text = new StringBuilder(r.StatusLine).Append('\n');
        foreach (string name in s_headers)
        {
            if (r.Header(name) is { } value)
            {
                text.Append(name).Append(": ").Append(Normalise(name, value, port)).Append('\n');
            }
        }

        return text.Append('\n').Append(ServerToken().Replace(r.BodyText, "SERVER").Replace(":" + port.ToString(CultureInfo.InvariantCulture), ":PORT", StringComparison.Ordinal)
            .Replace("Port " + port.ToString(CultureInfo.InvariantCulture), "Port PORT", StringComparison.Ordinal)).Append('\n').ToString();
    }

    private static string Normalise(string name, string value, int port)
    {
        if (name == "Expires")
        {
            return "(a date)";
        }

        if (name == "Allow")
        {
            string[] methods = value.Split(',', StringSplitOptions.TrimEntries);
            Array.Sort(methods, StringComparer.Ordinal);
            return string.Join(',', methods);
        }

        if (name == "Content-Length")
        {
            // The error pages' signature differs in length between the two server tokens.
            return "(present)";
        }

        return value.Replace(port.ToString(CultureInfo.InvariantCulture), "PORT", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"(?:Apache|Pluma)/[0-9][0-9.]* \([A-Za-z]+\)")]
    private static partial Regex ServerToken();

    /// <summary>Debian's apache2 and bin/pluma, each on its own tree with <see cref="NegotiationSite"/>.</summary>
    public sealed class Servers : IDisposable
    {
        public Servers()
        {
            Both = new DifferentialServers(NegotiationSite.AddTo);
        }

        public DifferentialServers Both { get; }

        public void Dispose() => Both.Dispose();
    }
}
