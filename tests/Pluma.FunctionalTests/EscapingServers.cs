using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Pluma.Testing;

namespace Pluma.FunctionalTests;

/// <summary>
/// Debian's apache2 and bin/pluma on two private copies of the bundled tree with the same
/// hostile-input configuration: RedirectMatch in both forms of the security review, a denied
/// folder (AH01630 logs the decoded path), and an access log of client data only.
/// </summary>
public sealed class EscapingServers : IDisposable
{
    /// <summary>The access-log format the tests compare: no time, byte count or address, only what the client sent.</summary>
    public const string EscapesFormat = "\\\"%r\\\" %>s \\\"%{Referer}i\\\" \\\"%{User-Agent}i\\\" U=%U q=%q X=%{X-Foo}i";

    private const string Config =
        "RedirectMatch \"^/rc/([^/]+)$\" \"http://example.com/$1\"\n" +
        "RedirectMatch \"^/ra/(.*)$\" \"http://example.com/$1\"\n" +
        "Redirect /rx http://example.com/px\n" +
        "<Directory ${PLUMA_WWW}/html/priv>\n    Require all denied\n</Directory>\n" +
        "LogFormat \"" + EscapesFormat + "\" escapes\n";

    private readonly DifferentialPair _pair;

    public EscapingServers()
    {
        _pair = new DifferentialPair(tree => Prepare(tree));
    }

    public TempConfTree ApacheTree => _pair.ApacheTree;

    public TempConfTree PlumaTree => _pair.PlumaTree;

    public void Dispose() => _pair.Dispose();

    /// <summary>The lines of <paramref name="file"/> in <paramref name="tree"/>'s log folder once <paramref name="done"/> holds (logs are written after the response).</summary>
    public static IReadOnlyList<string> WaitForLog(TempConfTree tree, string file, Func<IReadOnlyList<string>, bool> done, int timeoutMs = 10_000)
    {
        string path = Path.Combine(tree.LogDir, file);
        var sw = Stopwatch.StartNew();
        IReadOnlyList<string> lines = [];
        while (sw.ElapsedMilliseconds < timeoutMs)
        {
            lines = File.Exists(path) ? File.ReadAllText(path, System.Text.Encoding.Latin1).Split('\n').Where(l => l.Length > 0).ToList() : [];
            if (done(lines))
            {
                return lines;
            }

            Thread.Sleep(50);
        }

        return lines;
    }

    private static TempConfTree Prepare(TempConfTree tree)
    {
        tree.AppendToMainConfig(Config);
        string site = Path.Combine(tree.ConfDir, "sites-available", "000-default.conf");
        File.WriteAllText(site, File.ReadAllText(site).Replace(
            "\tCustomLog ${APACHE_LOG_DIR}/access.log combined\n",
            "\tCustomLog ${APACHE_LOG_DIR}/access.log combined\n\tCustomLog ${APACHE_LOG_DIR}/escapes.log escapes\n",
            StringComparison.Ordinal));
        Directory.CreateDirectory(Path.Combine(tree.DocumentRoot, "priv"));
        File.WriteAllText(Path.Combine(tree.DocumentRoot, "priv", "p.txt"), "private\n");
        return tree;
    }
}
