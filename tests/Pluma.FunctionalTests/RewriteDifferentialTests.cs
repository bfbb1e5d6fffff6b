using System.Collections.Generic;
using System.IO;
using System.Text;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>Debian's apache2 and bin/pluma on the same tree with mod_rewrite rules in the server (inherited by the vhost), a &lt;Directory&gt; and .htaccess files (WordPress's and Laravel's among them).</summary>
public sealed class RewriteServers : IDisposable
{
    internal const string Config = """
        RewriteEngine On
        RewriteMap lc int:tolower
        RewriteMap m txt:map.txt
        RewriteRule ^/old\.txt$ /a.txt [L]
        RewriteRule ^/perm/(.*)$ /new/$1 [R=301,L]
        RewriteRule ^/qsa/(.*)$ /t.txt?add=$1 [R,QSA,L]
        RewriteRule ^/qsd$ /a.txt [R,QSD,L]
        RewriteRule ^/drop$ /a.txt? [R,L]
        RewriteRule ^/forbidden - [F]
        RewriteRule ^/gone - [G]
        RewriteRule ^/seeother$ /a.txt [R=seeother,L]
        RewriteRule ^/r307$ /a.txt [R=307,L]
        RewriteCond %{HTTP_USER_AGENT} ^curl [NC]
        RewriteRule ^/ua$ /a.txt [L]
        RewriteRule ^/ua$ /b.txt [L]
        RewriteCond %{HTTP:X-Test} =yes
        RewriteRule ^/vary$ /a.txt [L]
        RewriteRule ^/skip$ - [S=1]
        RewriteRule ^/skip$ /a.txt [L]
        RewriteRule ^/skip$ /b.txt [L]
        RewriteRule ^/n/x(.*)$ /n/$1 [N]
        RewriteRule ^/n/$ /a.txt [L]
        RewriteRule ^/loop$ /loop [N=20]
        RewriteRule ^/env$ - [E=FOO:bar]
        RewriteCond %{ENV:FOO} =bar
        RewriteRule ^/env$ /b.txt [L]
        RewriteRule ^/typed$ /a.txt [T=text/html,L]
        RewriteRule ^/lc/(.*)$ /${lc:$1} [L]
        RewriteRule ^/map/(.*)$ /${m:$1|b}.txt [L]
        RewriteRule ^/ne$ http://example.com/#frag [R,NE,L]
        RewriteRule ^/noe$ http://example.com/#frag [R,L]
        RewriteRule ^/esc/(.*)$ http://example.com/$1 [R,L]
        RewriteRule ^/bq/(.*)$ /a.txt?q=$1 [B,R,L]
        RewriteRule ^/sp/(.*)$ /a.txt?q=$1 [L]
        RewriteRule ^/fs$ ${PLUMA_WWW}/html/a.txt [L]
        RewriteRule ^/docroot$ %{DOCUMENT_ROOT}/a.txt [L]
        RewriteRule ^/impl$ http://example.com/impl [L]
        RewriteRule ^/NoCase$ /a.txt [NC,L]
        RewriteCond %{QUERY_STRING} -gt3
        RewriteRule ^/num$ /a.txt [L]
        RewriteCond %{QUERY_STRING} >m
        RewriteRule ^/str$ /a.txt [L]
        RewriteRule ^/ch/(.*)$ /$1 [C]
        RewriteRule ^/a\.txt$ /b.txt [L]
        RewriteCond %{DOCUMENT_ROOT}%{REQUEST_URI} !-f
        RewriteCond %{DOCUMENT_ROOT}%{REQUEST_URI} !-d
        RewriteRule ^/fc/ /index.php [L]
        """;

    internal const string MainConfig = """
        Include mods-available/rewrite.load
        <Directory ${PLUMA_WWW}/html>
          AllowOverride All
        </Directory>
        <Directory ${PLUMA_WWW}/html/dirctx>
          RewriteEngine On
          RewriteRule ^a$ a.txt [L]
          RewriteRule ^red$ a.txt [R=301,L]
        </Directory>
        """;

    private readonly DifferentialPair _pair;

    public RewriteServers()
    {
        _pair = new DifferentialPair(t =>
        {
            AddFiles(t);
            t.AppendToMainConfig(MainConfig);

            // The rules go into the default vhost, which serves the requests.
            string site = Path.Combine(t.ConfDir, "sites-available", "000-default.conf");
            File.WriteAllText(site, File.ReadAllText(site).Replace("</VirtualHost>", Config + "\n</VirtualHost>", StringComparison.Ordinal));
        });
    }

    public TempConfTree ApacheTree => _pair.ApacheTree;

    public TempConfTree PlumaTree => _pair.PlumaTree;

    public void Dispose() => _pair.Dispose();

    private static void AddFiles(TempConfTree tree)
    {
        string root = tree.DocumentRoot;
        File.WriteAllText(Path.Combine(tree.ConfDir, "map.txt"), "# map\nalpha a\nbeta b\n");
        Write(root, "a.txt", "file a\n");
        Write(root, "b.txt", "file b\n");
        Write(root, "t.txt", "file t\n");
        Write(root, "index.php", "front controller\n");
        Write(root, "fc/real.txt", "real\n");
        Write(root, "dirctx/a.txt", "dirctx a\n");
        Write(root, "wp/index.php", "wordpress\n");
        Write(root, "wp/exists.txt", "wp file\n");
        Write(root, "wp/.htaccess", "<IfModule mod_rewrite.c>\nRewriteEngine On\nRewriteBase /wp/\nRewriteRule ^index\\.php$ - [L]\nRewriteCond %{REQUEST_FILENAME} !-f\nRewriteCond %{REQUEST_FILENAME} !-d\nRewriteRule . /wp/index.php [L]\n</IfModule>\n");
        Write(root, "laravel/public/index.php", "laravel\n");
        Write(root, "laravel/public/robots.txt", "robots\n");
        Write(root, "laravel/public/.htaccess", "<IfModule mod_rewrite.c>\n    <IfModule mod_negotiation.c>\n        Options -MultiViews -Indexes\n    </IfModule>\n    RewriteEngine On\n    RewriteCond %{HTTP:Authorization} .\n    RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]\n    RewriteCond %{REQUEST_FILENAME} !-d\n    RewriteCond %{REQUEST_URI} (.+)/$\n    RewriteRule ^ %1 [L,R=301]\n    RewriteCond %{REQUEST_FILENAME} !-d\n    RewriteCond %{REQUEST_FILENAME} !-f\n    RewriteRule ^ index.php [L]\n</IfModule>\n");
        Write(root, "rb/new.txt", "rb new\n");
        Write(root, "rb/target.txt", "rb target\n");
        Write(root, "rb/.htaccess", "RewriteEngine On\nRewriteBase /rb/\nRewriteRule ^old$ new.txt [R=301,L]\nRewriteRule ^int$ new.txt [L]\nRewriteRule ^sub/(.*)$ target.txt?p=$1 [L,QSA]\nRewriteRule ^gone$ - [G]\n");
        Write(root, "nobase/new.txt", "nobase new\n");
        Write(root, "nobase/.htaccess", "RewriteEngine On\nRewriteRule ^int$ new.txt [L]\nRewriteRule ^red$ new.txt [R,L]\n");
        Write(root, "symoff/f.txt", "symoff\n");
        Write(root, "symoff/.htaccess", "Options -FollowSymLinks\nRewriteEngine On\nRewriteRule ^x$ f.txt\n");
        Write(root, "endd/b.txt", "end b\n");
        Write(root, "endd/c.txt", "end c\n");
        Write(root, "endd/.htaccess", "RewriteEngine On\nRewriteRule ^a$ b.txt [END]\nRewriteRule ^b\\.txt$ c.txt\n");
        Write(root, "last/b.txt", "last b\n");
        Write(root, "last/c.txt", "last c\n");
        Write(root, "last/.htaccess", "RewriteEngine On\nRewriteRule ^a$ b.txt [L]\nRewriteRule ^b\\.txt$ c.txt [L]\n");
        Write(root, "loop/.htaccess", "RewriteEngine On\nRewriteRule ^(.*)$ x/$1 [L]\n");
    }

    private static void Write(string root, string relative, string text)
    {
        string path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        File.SetLastWriteTimeUtc(path, DifferentialServers.FileTime);
    }
}

/// <summary>mod_rewrite against Debian's apache2: status, Location (tree path normalised), Content-Type, Vary and, for 200, the body.</summary>
public sealed class RewriteDifferentialTests : IClassFixture<RewriteServers>
{
    private readonly RewriteServers _servers;

    public RewriteDifferentialTests(RewriteServers servers)
    {
        _servers = servers;
    }

    [Theory]
    [InlineData("/old.txt", "")]
    [InlineData("/perm/x?q=1", "")]
    [InlineData("/qsa/z?y=2", "")]
    [InlineData("/qsd?x=1", "")]
    [InlineData("/drop?x=1", "")]
    [InlineData("/forbidden", "")]
    [InlineData("/gone", "")]
    [InlineData("/seeother", "")]
    [InlineData("/r307", "")]
    [InlineData("/ua", "User-Agent: CURL/8\r\n")]
    [InlineData("/ua", "User-Agent: firefox\r\n")]
    [InlineData("/vary", "X-Test: yes\r\n")]
    [InlineData("/vary", "")]
    [InlineData("/skip", "")]
    [InlineData("/n/xxx", "")]
    [InlineData("/loop", "")]
    [InlineData("/env", "")]
    [InlineData("/typed", "")]
    [InlineData("/lc/A.TXT", "")]
    [InlineData("/map/alpha", "")]
    [InlineData("/map/other", "")]
    [InlineData("/ne", "")]
    [InlineData("/noe", "")]
    [InlineData("/esc/a%20b", "")]
    [InlineData("/bq/a%20b&c", "")]
    [InlineData("/sp/a%20b", "")]
    [InlineData("/fs", "")]
    [InlineData("/docroot", "")]
    [InlineData("/impl", "")]
    [InlineData("/nocase", "")]
    [InlineData("/num?5", "")]
    [InlineData("/num?2", "")]
    [InlineData("/str?z", "")]
    [InlineData("/str?a", "")]
    [InlineData("/str?abc", "")]
    [InlineData("/ch/a.txt", "")]
    [InlineData("/fc/anything/here", "")]
    [InlineData("/fc/real.txt", "")]
    [InlineData("/dirctx/a", "")]
    [InlineData("/dirctx/red", "")]
    [InlineData("/wp/", "")]
    [InlineData("/wp/hello-world/", "")]
    [InlineData("/wp/2024/01/post?x=1", "")]
    [InlineData("/wp/exists.txt", "")]
    [InlineData("/wp/index.php", "")]
    [InlineData("/laravel/public/users/5", "")]
    [InlineData("/laravel/public/users/", "")]
    [InlineData("/laravel/public/robots.txt", "")]
    [InlineData("/laravel/public/", "")]
    [InlineData("/laravel/public/api?page=2", "Authorization: Bearer x\r\n")]
    [InlineData("/rb/old", "")]
    [InlineData("/rb/int", "")]
    [InlineData("/rb/sub/q?z=1", "")]
    [InlineData("/rb/gone", "")]
    [InlineData("/nobase/int", "")]
    [InlineData("/nobase/red", "")]
    [InlineData("/symoff/x", "")]
    [InlineData("/endd/a", "")]
    [InlineData("/last/a", "")]
    [InlineData("/loop/a", "")]
    public void RewriteAnswersAsDebiansApacheDoes(string target, string headers)
    {
        string request = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Connection: close\r\n\r\n";
        string apache = View(_servers.ApacheTree, request);
        string pluma = View(_servers.PlumaTree, request);
        Assert.True(apache == pluma, $"{target}\n--- apache2 ---\n{apache}\n--- pluma ---\n{pluma}");
    }

    private static string View(TempConfTree tree, string request)
    {
        using var c = new RawHttp(tree.Port);
        c.Send(request);
        HttpResponseText r = c.ReadResponse();
        var text = new StringBuilder().Append(r.Status).Append('\n');
        foreach (KeyValuePair<string, string> f in r.Headers)
        {
            if (f.Key is "Location" or "Content-Type" or "Vary" or "Set-Cookie")
            {
                text.Append(f.Key).Append(": ").Append(f.Value.Replace(tree.Top, "TREE", StringComparison.Ordinal).Replace(":" + tree.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), ":PORT", StringComparison.Ordinal)).Append('\n');
            }
        }

        if (r.Status == 200)
        {
            text.Append(r.BodyText);
        }

        return text.ToString();
    }
}
