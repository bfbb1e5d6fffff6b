using System.Diagnostics;
using System.IO;
using Pluma.Testing;

namespace Pluma.FunctionalTests;

/// <summary>
/// Two private copies of the bundled tree with the same extra files: Debian's apache2 serves
/// one, bin/pluma the other, each on its own free port, so logs and pid files never mix.
/// </summary>
public sealed class DifferentialServers : IDisposable
{
    // Fixed times: both copies must give the same Last-Modified and ETag for the same file.
    internal static readonly DateTime FileTime = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly DifferentialPair _pair;
    private readonly Stopwatch _sinceStart;

    public DifferentialServers()
        : this(null)
    {
    }

    /// <summary>Both trees with <paramref name="prepare"/> applied to each too (more files, more configuration).</summary>
    internal DifferentialServers(Action<TempConfTree>? prepare)
    {
        _pair = new DifferentialPair(tree =>
        {
            AddFiles(tree);
            prepare?.Invoke(tree);
        });
        _sinceStart = Stopwatch.StartNew();
    }

    public TempConfTree ApacheTree => _pair.ApacheTree;

    public TempConfTree PlumaTree => _pair.PlumaTree;

    public int ApachePort => ApacheTree.Port;

    public int PlumaPort => PlumaTree.Port;

    public string ApacheOutput => _pair.Apache.Output;

    /// <summary>Time since both servers answered: status pages print some keys only once uptime is 1 s or more.</summary>
    public TimeSpan Uptime => _sinceStart.Elapsed;

    public string PlumaOutput => _pair.Pluma.Output;

    public void Dispose() => _pair.Dispose();

    /// <summary>files/ with a 1 MiB file (ranges), a short text file and a subfolder (listing).</summary>
    private static void AddFiles(TempConfTree tree)
    {
        string files = Path.Combine(tree.DocumentRoot, "files");
        Directory.CreateDirectory(Path.Combine(files, "sub"));
        var data = new byte[1024 * 1024];
        new Random(42).NextBytes(data);
        Write(Path.Combine(files, "big.bin"), data);
        Write(Path.Combine(files, "small.txt"), "hello\n"u8.ToArray());
        Write(Path.Combine(files, "sub", "a.txt"), "sub\n"u8.ToArray());
        DifferentialCasesCore.AddFiles(files);
    }

    private static void Write(string path, byte[] bytes)
    {
        File.WriteAllBytes(path, bytes);
        File.SetLastWriteTimeUtc(path, FileTime);
    }
}
