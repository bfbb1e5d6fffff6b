using System.IO;

namespace Pluma.Testing;

/// <summary>A temporary folder of its own, removed on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "pluma-test-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
        // CreateTempSubdirectory makes the folder 0700. Run as root (CI), the server's children
        // switch to www-data (the bundled envvars' User for root), who must reach the trees,
        // sites and files the tests put here, as the Apache they mimic would need.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path, (UnixFileMode)0x1ED); // 0755
        }
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
