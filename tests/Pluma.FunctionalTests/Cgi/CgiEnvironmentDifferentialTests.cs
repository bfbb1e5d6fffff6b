using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Cgi;

/// <summary>Debian's apache2 and bin/pluma (event, mod_cgid) running the same shell CGI script that prints its environment.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CgiEnvironmentServers : IDisposable
{
    private readonly DifferentialPair _pair;

    public CgiEnvironmentServers()
    {
        _pair = new DifferentialPair(t =>
        {
            string bin = Path.Combine(t.Top, "scripts");
            Directory.CreateDirectory(bin);
            string script = Path.Combine(bin, "env.cgi");
            File.WriteAllText(script, "#!/bin/sh\nif [ -n \"$CONTENT_LENGTH\" ]; then head -c \"$CONTENT_LENGTH\" >/dev/null; fi\necho Content-Type: text/plain\necho\nenv | sort\n");
            File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
            t.AppendToMainConfig(
                "LoadModule cgid_module /usr/lib/apache2/modules/mod_cgid.so\n" +
                "ScriptSock " + Path.Combine(t.Top, "cgisock") + "\n" +
                "ScriptAlias /scripts/ " + bin + "/\n" +
                "<Directory \"" + bin + "\">\n  Options +ExecCGI\n  Require all granted\n</Directory>\n");
        });
    }

    public TempConfTree ApacheTree => _pair.ApacheTree;

    public TempConfTree PlumaTree => _pair.PlumaTree;

    public void Dispose() => _pair.Dispose();
}

/// <summary>
/// The CGI/1.1 environment (RFC 3875 section 4.1, and the variables Apache adds: DOCUMENT_ROOT,
/// REQUEST_URI, SCRIPT_FILENAME, CONTEXT_*, REQUEST_SCHEME, SERVER_ADDR, the HTTP_* fields) as
/// Debian's apache2 gives it. Only what is each server's own is left out: SERVER_SOFTWARE and
/// SERVER_SIGNATURE (the product's name), REMOTE_PORT (the client's ephemeral port); tree paths
/// and the listening port are normalised.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CgiEnvironmentDifferentialTests : IClassFixture<CgiEnvironmentServers>
{
    private static readonly string[] OwnToEachServer = ["SERVER_SOFTWARE", "SERVER_SIGNATURE", "REMOTE_PORT"];

    private readonly CgiEnvironmentServers _s;

    public CgiEnvironmentDifferentialTests(CgiEnvironmentServers servers)
    {
        _s = servers;
    }

    [Theory]
    [InlineData("GET", "/scripts/env.cgi", "")]
    [InlineData("GET", "/scripts/env.cgi/extra/path%20x?x=1&y=%20z", "")]
    [InlineData("GET", "/scripts/env.cgi?a+b", "X-Custom-Header: v1\r\nX_Under_Score: dropped\r\nAccept: text/plain\r\nUser-Agent: differential\r\n")]
    [InlineData("POST", "/scripts/env.cgi/p", "Content-Type: application/x-www-form-urlencoded\r\n")]
    [InlineData("HEAD", "/scripts/env.cgi", "")]
    public void EnvironmentMatchesDebiansApache(string method, string target, string headers)
    {
        string body = method == "POST" ? "a=1&b=2" : "";
        string request = $"{method} {target} HTTP/1.1\r\nHost: localhost\r\n{headers}" +
            (method == "POST" ? $"Content-Length: {body.Length}\r\n" : "") + "Connection: close\r\n\r\n" + body;
        string apache = ViewOf("apache2", _s.ApacheTree, request, method == "HEAD");
        string pluma = ViewOf("pluma", _s.PlumaTree, request, method == "HEAD");
        Assert.True(apache == pluma, $"{method} {target}\n--- apache2 ---\n{apache}\n--- pluma ---\n{pluma}");
    }

    private static string ViewOf(string who, TempConfTree tree, string request, bool head)
    {
        try
        {
            return View(tree, request, head);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidOperationException(who + " cut the response short", e);
        }
    }

    private static string View(TempConfTree tree, string request, bool head)
    {
        using var c = new RawHttp(tree.Port);
        c.Send(request);
        HttpResponseText r = c.ReadResponse(head);
        var text = new StringBuilder().Append(r.Status).Append('\n').Append(r.Header("Content-Type")).Append('\n');
        IEnumerable<string> lines = r.BodyText.Split('\n')
            .Where(l => l.Length > 0 && !OwnToEachServer.Any(v => l.StartsWith(v + "=", StringComparison.Ordinal)));
        foreach (string line in lines)
        {
            text.Append(line.Replace(tree.Top, "TREE", StringComparison.Ordinal).Replace(tree.Port.ToString(CultureInfo.InvariantCulture), "PORT", StringComparison.Ordinal)).Append('\n');
        }

        return text.ToString();
    }
}
