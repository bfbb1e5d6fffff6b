using System.IO;

namespace Pluma.Testing;

/// <summary>Where things are in the source checkout the tests run from.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The repository root (the folder holding Pluma.slnx).</summary>
    public static string Root => s_root.Value;

    /// <summary>The NativeAOT binary built by <c>make</c>.</summary>
    public static string PlumaBinary => Path.Combine(Root, "bin", "pluma");

    /// <summary>The bundled Debian-shaped configuration tree.</summary>
    public static string ConfTree => Path.Combine(Root, "conf");

    private static string FindRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir, "Pluma.slnx")))
            {
                return dir;
            }

            dir = Path.GetDirectoryName(dir);
        }

        throw new InvalidOperationException("Pluma.slnx not found above " + AppContext.BaseDirectory);
    }
}
