using System.IO;

namespace Pluma.Http.Tests.Support;

/// <summary>Files in a private temporary folder, removed on dispose.</summary>
public sealed class TempFiles : IDisposable
{
    /// <summary>The mtime of the probes against Debian's apache2: 2026-01-02 03:04:05.123456 UTC.</summary>
    public static readonly DateTime ProbeTime = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1_234_560);

    public TempFiles()
    {
        Folder = Path.Combine(Path.GetTempPath(), "pluma-http-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public string Create(string name, byte[] content, DateTime? lastWriteUtc = null)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, content);
        File.SetLastWriteTimeUtc(path, lastWriteUtc ?? ProbeTime);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
