using System.Globalization;
using System.IO;
using System.Text;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Rewrite;

/// <summary>
/// Debian's apache2 and bin/pluma on the same tree with mod_rewrite's look-ahead sub-requests:
/// RewriteCond -U and -F, %{LA-U:...} and %{LA-F:...}, in the server and in an .htaccess, with
/// a &lt;Location&gt; that denies and an Alias that maps elsewhere (what only a look-up can know).
/// For a path whose directories do not exist, Apache's directory walk makes the first missing
/// component r->filename and the rest path info.
/// </summary>
public sealed class RewriteLookaheadServers : IDisposable
{
    private const string Rules = """
        RewriteEngine On
        RewriteCond /%{QUERY_STRING} -U
        RewriteRule ^/uu$ /yes.txt [L]
        RewriteRule ^/uu$ /no.txt [L]
        RewriteCond %{DOCUMENT_ROOT}/%{QUERY_STRING} -F
        RewriteRule ^/ff$ /yes.txt [L]
        RewriteRule ^/ff$ /no.txt [L]
        RewriteCond /%{QUERY_STRING} !-U
        RewriteRule ^/nu$ /yes.txt [L]
        RewriteRule ^/nu$ /no.txt [L]
        RewriteRule ^/la(/.*)$ http://example.com/?f=%{LA-U:REQUEST_FILENAME}&t=%{LA-U:CONTENT_TYPE}&pre=%{REQUEST_FILENAME} [R,L]
        RewriteCond %{LA-U:REQUEST_FILENAME} ^(.*/elsewhere/.*)$
        RewriteRule ^/al/ http://example.com/?f=%1 [R,L]
        RewriteCond %{REQUEST_URI} -U
        RewriteRule ^/self$ /yes.txt [L]
        RewriteRule ^/self$ /no.txt [L]
        """;

    private readonly DifferentialPair _pair;

    public RewriteLookaheadServers()
    {
        _pair = new DifferentialPair(t =>
        {
            string root = t.DocumentRoot;
            Write(root, "yes.txt", "yes\n");
            Write(root, "no.txt", "no\n");
            Write(root, "a.txt", "a\n");
            Write(root, "la/a.txt", "la a\n");
            Write(root, "private/p.txt", "private\n");
            Write(root, "elsewhere/e.txt", "elsewhere\n");
            Write(root, "ht/b.txt", "b\n");
            Write(root, "ht/.htaccess",
                "RewriteEngine On\nRewriteBase /ht/\n" +
                "RewriteCond %{LA-U:REQUEST_FILENAME} (.+)\nRewriteRule ^la$ http://example.com/?f=%1 [R,L]\n" +
                "RewriteCond %{LA-F:REQUEST_FILENAME} (.+)\nRewriteRule ^lf$ http://example.com/?f=%1 [R,L]\n" +
                "RewriteCond b.txt -F\nRewriteRule ^rel$ http://example.com/?rel=yes [R,L]\n" +
                "RewriteCond nothere.txt -F\nRewriteRule ^nrel$ http://example.com/?nrel=yes [R,L]\n" +
                "RewriteCond /private/p.txt -U\nRewriteRule ^priv$ http://example.com/?priv=yes [R,L]\n" +
                "RewriteRule ^priv$ http://example.com/?priv=no [R,L]\n");
            t.AppendToMainConfig(
                "Include mods-available/rewrite.load\n" +
                "Alias /al/ ${PLUMA_WWW}/html/elsewhere/\n" +
                "<Directory ${PLUMA_WWW}/html/ht>\n  AllowOverride All\n</Directory>\n" +
                "<Location /private>\n  Require all denied\n</Location>\n");
            string site = Path.Combine(t.ConfDir, "sites-available", "000-default.conf");
            File.WriteAllText(site, File.ReadAllText(site).Replace("</VirtualHost>", Rules + "\n</VirtualHost>", StringComparison.Ordinal));
        });
    }

    public TempConfTree ApacheTree => _pair.ApacheTree;

    public TempConfTree PlumaTree => _pair.PlumaTree;

    public void Dispose() => _pair.Dispose();

    private static void Write(string root, string relative, string text)
    {
        string path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}

public sealed class RewriteLookaheadDifferentialTests : IClassFixture<RewriteLookaheadServers>
{
    private readonly RewriteLookaheadServers _s;

    public RewriteLookaheadDifferentialTests(RewriteLookaheadServers servers)
    {
        _s = servers;
    }

    [Theory]
    [InlineData("/uu?a.txt")]
    [InlineData("/uu?missing.txt")]
    [InlineData("/uu?private/p.txt")]
    [InlineData("/nu?private/p.txt")]
    [InlineData("/ff?a.txt")]
    [InlineData("/ff?missing.txt")]
    [InlineData("/ff?private/p.txt")]
    [InlineData("/ff?al/e.txt")]
    [InlineData("/la/a.txt")]
    [InlineData("/la/missing.txt")]
    [InlineData("/la/missing/more.txt")]
    [InlineData("/la/missing/")]
    [InlineData("/la/gone/deeper/x.txt")]
    [InlineData("/la/a.txt/more")]
    [InlineData("/al/e.txt")]
    [InlineData("/self")]
    [InlineData("/ht/la")]
    [InlineData("/ht/lf")]
    [InlineData("/ht/rel")]
    [InlineData("/ht/nrel")]
    [InlineData("/ht/priv")]
    public void LookAheadAnswersAsDebiansApacheDoes(string target)
    {
        string request = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        string apache = View(_s.ApacheTree, request);
        string pluma = View(_s.PlumaTree, request);
        Assert.True(apache == pluma, $"{target}\n--- apache2 ---\n{apache}\n--- pluma ---\n{pluma}");
    }

    private static string View(TempConfTree tree, string request)
    {
        using var c = new RawHttp(tree.Port);
        c.Send(request);
        HttpResponseText r = c.ReadResponse();
        var text = new StringBuilder().Append(r.Status).Append('\n');
        if (r.Header("Location") is { } location)
        {
            text.Append("Location: ").Append(location.Replace(tree.Top, "TREE", StringComparison.Ordinal).Replace(tree.Port.ToString(CultureInfo.InvariantCulture), "PORT", StringComparison.Ordinal)).Append('\n');
        }

        if (r.Status == 200)
        {
            text.Append(r.BodyText);
        }

        return text.ToString();
    }
}
