using System.IO;
using System.Text;
using Pluma.Testing;

namespace Pluma.FunctionalTests;

/// <summary>
/// Debian's apache2 and bin/pluma, each on its own copy of the bundled tree (whose mods-enabled
/// has Debian's deflate.conf: AddOutputFilterByType DEFLATE text/html text/plain ...), with the
/// same text files of chosen sizes under d/ and the same extra configuration. The response side's
/// differential tests (<see cref="DifferentialOutputTests"/>) run against them.
/// </summary>
public sealed class DifferentialOutputServers : IDisposable
{
    private readonly DifferentialPair _pair;

    public DifferentialOutputServers()
        : this(string.Empty)
    {
    }

    /// <summary>Both trees get <paramref name="extraConfig"/> at the end of apache2.conf.</summary>
    internal DifferentialOutputServers(string extraConfig)
    {
        _pair = new DifferentialPair(tree =>
        {
            AddFiles(tree);
            if (extraConfig.Length > 0)
            {
                tree.AppendToMainConfig(extraConfig);
            }
        });
    }

    public TempConfTree ApacheTree => _pair.ApacheTree;

    public TempConfTree PlumaTree => _pair.PlumaTree;

    public int ApachePort => ApacheTree.Port;

    public int PlumaPort => PlumaTree.Port;

    public string PlumaOutput => _pair.Pluma.Output;

    public void Dispose() => _pair.Dispose();

    /// <summary>Text bodies of known sizes: around Apache's 68-byte "very small response" line, one that compresses into one buffer, one that does not.</summary>
    private static void AddFiles(TempConfTree tree)
    {
        string d = Path.Combine(tree.DocumentRoot, "d");
        Directory.CreateDirectory(Path.Combine(d, "sub"));
        Write(Path.Combine(d, "tiny.txt"), "hi\n");
        Write(Path.Combine(d, "68.txt"), new string('a', 67) + "\n");
        Write(Path.Combine(d, "69.txt"), new string('a', 68) + "\n");
        Write(Path.Combine(d, "page.html"), "<html><body>" + Words(1500, 1) + "</body></html>\n");
        Write(Path.Combine(d, "ten.txt"), Words(1700, 2));
        Write(Path.Combine(d, "big.txt"), RandomText(300_000, 3));
        Write(Path.Combine(d, "style.css"), "body { color: red; }\n" + Words(400, 4));
        Write(Path.Combine(d, "data.bin"), Words(2000, 5));
        Write(Path.Combine(d, "sub", "a.txt"), "sub\n");
    }

    /// <summary>Words from a small vocabulary: compresses well, as real text does.</summary>
    private static string Words(int count, int seed)
    {
        string[] vocabulary = ["alpha", "beta", "gamma", "delta", "pluma", "apache", "server", "filter", "\n"];
        var random = new Random(seed);
        var text = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            text.Append(vocabulary[random.Next(vocabulary.Length)]).Append(' ');
        }

        return text.ToString();
    }

    /// <summary>Letters at random: compresses to well over one DeflateBufferSize.</summary>
    private static string RandomText(int length, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            text.Append((char)('a' + random.Next(26)));
            if (i % 80 == 79)
            {
                text.Append('\n');
            }
        }

        return text.ToString();
    }

    private static void Write(string path, string text)
    {
        File.WriteAllText(path, text);
        File.SetLastWriteTimeUtc(path, DifferentialServers.FileTime);
    }
}
