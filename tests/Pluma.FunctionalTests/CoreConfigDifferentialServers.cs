using System.IO;
using Pluma.Testing;

namespace Pluma.FunctionalTests;

/// <summary>
/// Debian's apache2 and bin/pluma on two copies of the bundled tree with the same extra
/// configuration (<see cref="Conf"/>): mod_setenvif and mod_env rules whose variables a probe
/// access log prints, and ErrorDocument in each of its forms.
/// </summary>
public sealed class CoreConfigDifferentialServers : IDisposable
{
    public const string ProbeLog = "core-probe.log";

    /// <summary>The extra configuration, the same for both servers (conf-enabled/zz-core-cases.conf).</summary>
    public const string Conf = """
        LogFormat "%r|a=%{a}e|b=%{b}e|c=%{c}e|d=%{d}e|u=%{u}e|u2=%{u2}e|m=%{m}e|s=%{s}e|h=%{h}e|r=%{r}e" coreprobe
        SetEnvIf X-A "^(a+)(b*)$" a=$1-$2&\$
        SetEnvIf Request_URI "^(.*)$" u=$1
        SetEnvIfNoCase X-B foo b
        SetEnvIf ^X-C.*$ ^yes c=yes
        SetEnvIf b 1 d=from-b
        SetEnvIf Request_Method POST m
        SetEnvIf X-Kill yes !a
        SetEnvIf X-S yes s=from-setenvif
        SetEnvIf Remote_Addr ^127\.0\.0\.1$ r=remote
        SetEnvIf Server_Addr "^127.0.0.1$" r=server
        SetEnvIf Request_Protocol "^HTTP/1\.0$" d=p10
        SetEnvIf X-D (x)(y)? d=[$1][$2][$3]
        SetEnvIfNoCase x-h "^A\.B$" h=literal
        SetEnv s setenv-s
        SetEnv a setenv-a
        <Location /loc>
            SetEnvIf Request_URI "^(.*)$" u2=$1
            Require env c
        </Location>
        <Location /env/unset>
            UnsetEnv s
        </Location>
        <Location /ed>
            ErrorDocument 404 /ed/x.txt
        </Location>
        <Location /ed/a>
            ErrorDocument 404 "some text here"
        </Location>
        <Location /ed/b>
            ErrorDocument 404 oneword
        </Location>
        <Location /ed/c>
            ErrorDocument 404 "/ed/x.txt"
        </Location>
        <Location /ed/d>
            ErrorDocument 404 http://example.com/nf
        </Location>
        <Location /ed/e>
            ErrorDocument 404 default
        </Location>
        <Location /ed/f>
            ErrorDocument 404 "<b>bold</b> text
        </Location>
        <Location /ed/g>
            ErrorDocument 404 'single quoted'
        </Location>
        <Location /ed/h>
            ErrorDocument 404 '"leading quote'
        </Location>
        <Directory ${PLUMA_WWW}/html/api-on>
            AcceptPathInfo On
        </Directory>
        <Directory ${PLUMA_WWW}/html/api-off>
            AcceptPathInfo Off
        </Directory>
        <Directory ${PLUMA_WWW}/html/lrb>
            LimitRequestBody 10
        </Directory>
        <Location /ms/denied>
            Require all denied
        </Location>

        """;

    private readonly DifferentialPair _pair;

    public CoreConfigDifferentialServers()
    {
        _pair = new DifferentialPair(Prepare);
    }

    public TempConfTree ApacheTree => _pair.ApacheTree;

    public TempConfTree PlumaTree => _pair.PlumaTree;

    public string PlumaOutput => _pair.Pluma.Output;

    public void Dispose() => _pair.Dispose();

    private static void Prepare(TempConfTree tree)
    {
        tree.WriteConf(Path.Combine("conf-enabled", "zz-core-cases.conf"), Conf);
        string site = Path.Combine(tree.ConfDir, "sites-available", "000-default.conf");
        File.WriteAllText(site, File.ReadAllText(site).Replace("</VirtualHost>", "\tCustomLog ${APACHE_LOG_DIR}/" + ProbeLog + " coreprobe\n</VirtualHost>", StringComparison.Ordinal));
        foreach (string dir in new[] { "ed", "api-on", "api-off", "api-default", "lrb" })
        {
            string folder = Path.Combine(tree.DocumentRoot, dir);
            Directory.CreateDirectory(folder);
            string file = Path.Combine(folder, dir == "ed" ? "x.txt" : "f.txt");
            File.WriteAllText(file, "hi\n");
            File.SetLastWriteTimeUtc(file, DifferentialServers.FileTime);
        }
    }
}
