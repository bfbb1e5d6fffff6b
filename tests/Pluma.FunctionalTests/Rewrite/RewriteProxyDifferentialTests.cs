using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Pluma.FunctionalTests.Fcgi;
using Pluma.FunctionalTests.Proxy;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Rewrite;

/// <summary>
/// Debian's apache2 and bin/pluma with the same RewriteRule [P] rules (server context and
/// .htaccess) in front of one HTTP backend and one FastCGI responder, both started by the test:
/// what each backend received (request line, fields, CGI variables) and what the client got back.
/// </summary>
public sealed class RewriteProxyServers : IDisposable
{
    private readonly DifferentialPair _pair;

    public RewriteProxyServers()
    {
        Http = new TestBackend();
        Fcgi = new FakeFcgiBackend();
        try
        {
            _pair = new DifferentialPair(Prepare);
        }
        catch
        {
            Http.Dispose();
            Fcgi.Dispose();
            throw;
        }
    }

    public TestBackend Http { get; }

    public FakeFcgiBackend Fcgi { get; }

    public TempConfTree ApacheTree => _pair.ApacheTree;

    public TempConfTree PlumaTree => _pair.PlumaTree;

    private void Prepare(TempConfTree t)
    {
        string http = "http://127.0.0.1:" + Http.Port.ToString(CultureInfo.InvariantCulture);
        string fcgi = "fcgi://127.0.0.1:" + Fcgi.Port.ToString(CultureInfo.InvariantCulture);
        t.AppendToMainConfig(
            "Include mods-available/rewrite.load\n" +
            "Include mods-available/proxy.load\n" +
            "Include mods-available/proxy_http.load\n" +
            "Include mods-available/proxy_fcgi.load\n" +
            "<Directory ${PLUMA_WWW}/html/dirp>\n  AllowOverride All\n</Directory>\n");
        string rules =
            "RewriteEngine On\n" +
            $"RewriteRule ^/p/(.*)$ {http}/echo/$1 [P]\n" +
            $"RewriteRule ^/pq/(.*)$ {http}/echo/$1?added=1 [P,QSA]\n" +
            $"RewriteRule ^/pr/(.*)$ {http}/app/redirect/$1 [P]\n" +
            $"ProxyPassReverse /pr/ {http}/app/\n" +
            "RewriteCond %{HTTP:X-Go} =yes\n" +
            $"RewriteRule ^/pc/(.*)$ {http}/echo/cond/$1 [P,L]\n" +
            "RewriteRule ^/pc/ - [F]\n" +
            $"RewriteRule ^/pf/(.*)$ {fcgi}/srv/app/$1 [P]\n" +
            $"RewriteRule ^/pfq/(.*)$ {fcgi}/srv/app/index.php/$1 [P,QSA]\n";
        string site = Path.Combine(t.ConfDir, "sites-available", "000-default.conf");
        File.WriteAllText(site, File.ReadAllText(site).Replace("</VirtualHost>", rules + "</VirtualHost>", StringComparison.Ordinal));
        string dir = Path.Combine(t.DocumentRoot, "dirp");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "here.txt"), "a file\n");
        File.WriteAllText(Path.Combine(dir, ".htaccess"),
            "RewriteEngine On\nRewriteBase /dirp/\nRewriteCond %{REQUEST_FILENAME} !-f\n" +
            $"RewriteRule ^(.*)$ {http}/echo/dir/$1 [P,L]\n");
    }

    public void Dispose()
    {
        _pair.Dispose();
        Http.Dispose();
        Fcgi.Dispose();
    }
}

public sealed class RewriteProxyDifferentialTests : IClassFixture<RewriteProxyServers>
{
    private static readonly string[] Ignored =
    [
        // Legitimately the server's own: its name and version, its ports, the client's port.
        "SERVER_SOFTWARE", "SERVER_SIGNATURE", "REMOTE_PORT", "SERVER_PORT",
    ];

    private readonly RewriteProxyServers _s;

    public RewriteProxyDifferentialTests(RewriteProxyServers servers)
    {
        _s = servers;
    }

    [Theory]
    [InlineData("GET", "/p/a/b?x=1", "")]
    [InlineData("GET", "/p/sp%20ace", "")]
    [InlineData("GET", "/pq/z?y=2", "")]
    [InlineData("POST", "/p/form", "")]
    [InlineData("GET", "/pr/x", "")]
    [InlineData("GET", "/pc/go", "X-Go: yes\r\n")]
    [InlineData("GET", "/pc/go", "")]
    [InlineData("GET", "/dirp/some/path?q=1", "")]
    [InlineData("GET", "/dirp/here.txt", "")]
    [InlineData("GET", "/pf/index.php?a=1", "")]
    [InlineData("POST", "/pfq/extra/path?b=2", "")]
    public void ProxyFlagAnswersAsDebiansApacheDoes(string method, string target, string headers)
    {
        string body = method == "POST" ? "name=value&x=1" : "";
        string request = $"{method} {target} HTTP/1.1\r\nHost: localhost\r\n{headers}" +
            (method == "POST" ? $"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {body.Length}\r\n" : "") +
            "Connection: close\r\n\r\n" + body;
        string apache = View(_s.ApacheTree, request);
        string pluma = View(_s.PlumaTree, request);
        Assert.True(apache == pluma, $"{method} {target}\n--- apache2 ---\n{apache}\n--- pluma ---\n{pluma}");
    }

    private static string View(TempConfTree tree, string request)
    {
        using var c = new RawHttp(tree.Port);
        c.Send(request);
        HttpResponseText r = c.ReadResponse();
        var text = new StringBuilder().Append(r.Status).Append('\n');
        // The fields' order is not compared (RFC 9110 5.3: fields of different names may come in any order).
        foreach (KeyValuePair<string, string> f in r.Headers.OrderBy(f => f.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (f.Key is "Location" or "Content-Type" or "X-Backend" or "X-Fake")
            {
                text.Append(f.Key).Append(": ").Append(Normalise(tree, f.Value)).Append('\n');
            }
        }

        if (r.Status is 200 or 201)
        {
            foreach (string line in r.BodyText.Split('\n'))
            {
                int eq = line.IndexOf('=', StringComparison.Ordinal);
                if (line.StartsWith("conn=", StringComparison.Ordinal) || (eq > 0 && Ignored.Contains(line[..eq])))
                {
                    continue; // which pooled connection carried it differs by design
                }

                text.Append(Normalise(tree, Regex.Replace(line, " conn=\\d+$", ""))).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Normalise(TempConfTree tree, string s) =>
        s.Replace(tree.Top, "TREE", StringComparison.Ordinal).Replace(tree.Port.ToString(CultureInfo.InvariantCulture), "PORT", StringComparison.Ordinal);
}
