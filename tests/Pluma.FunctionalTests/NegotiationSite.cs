using System.IO;
using Pluma.Testing;

namespace Pluma.FunctionalTests;

/// <summary>
/// Files and configuration for mod_negotiation's tests, written the same way into any tree:
/// /mv/ (Options +MultiViews, Debian's LanguagePriority with Prefer Fallback) holds a page in
/// three languages, a type map with an inline Body:, two types of one document, a charset, a
/// gzip archive and names no negotiation can serve; /nolp/ has ForceLanguagePriority None.
/// Every file and folder gets the same fixed time, so both servers' validators agree.
/// </summary>
internal static class NegotiationSite
{
    public const string Config = """
        <Directory ${PLUMA_WWW}/html/mv>
        	Options +MultiViews
        </Directory>
        <Directory ${PLUMA_WWW}/html/nolp>
        	Options +MultiViews
        	LanguagePriority fr
        	ForceLanguagePriority None
        </Directory>
        <Directory ${PLUMA_WWW}/html/mvdeny>
        	Options +MultiViews
        	<Files "secret.html.en">
        		Require all denied
        	</Files>
        </Directory>
        """;

    public const string TypeMap = """
        URI: map.en.html
        Content-Type: text/html
        Content-Language: en

        URI: map.fr.html
        Content-Type: text/html; qs=0.5
        Content-Language: fr

        URI: inline
        Content-Type: text/plain
        Content-Language: de
        Body:----xyz----
        Hallo inline
        ----xyz----

        """;

    public static void AddTo(TempConfTree tree)
    {
        tree.AppendToMainConfig(Config);
        string mv = Path.Combine(tree.DocumentRoot, "mv");
        string nolp = Path.Combine(tree.DocumentRoot, "nolp");
        Directory.CreateDirectory(mv);
        Directory.CreateDirectory(nolp);
        foreach (string dir in new[] { mv, nolp })
        {
            Write(dir, "index.html.en", "english\n");
            Write(dir, "index.html.fr", "francais\n");
            Write(dir, "index.html.de", "deutsch!\n");
        }

        string deny = Path.Combine(tree.DocumentRoot, "mvdeny");
        Directory.CreateDirectory(deny);
        Write(deny, "secret.html.en", "denied english\n");
        Write(deny, "secret.html.fr", "allowed french\n");
        Write(mv, "doc.txt", "plain\n");
        Write(mv, "doc.html", "<p>html</p>\n");
        Write(mv, "pkg.tar.gz", "gz\n");
        Write(mv, "utf.html.utf8", "u\n");
        Write(mv, "weird.foo", "foo\n");
        Write(mv, "only.ja", "j\n");
        Write(mv, "map.var", TypeMap.Replace("\r\n", "\n", StringComparison.Ordinal));
        Write(mv, "map.en.html", "<p>en map</p>\n");
        Write(mv, "map.fr.html", "<p>fr map</p>\n");
        // A type map whose best variant is itself a type map (mod_negotiation's 506), and one
        // whose variant names a map only when a TCN client asks for the list.
        Write(mv, "outer.var", "URI: inner.var\nContent-Type: text/html\n\nURI: doc.txt\nContent-Type: text/plain; qs=0.5\n");
        Write(mv, "inner.var", "URI: doc.txt\nContent-Type: text/plain\n");
        Write(mv, "safe.var", "URI: doc.txt\nContent-Type: text/plain\n\nURI: inner.var\nContent-Type: text/html; qs=0.1\n");
        Directory.SetLastWriteTimeUtc(mv, DifferentialServers.FileTime);
        Directory.SetLastWriteTimeUtc(nolp, DifferentialServers.FileTime);
    }

    private static void Write(string dir, string name, string text)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        File.SetLastWriteTimeUtc(path, DifferentialServers.FileTime);
    }
}
