using System.IO;

namespace Pluma.Config.Parsing;

/// <summary>The configuration files as they are on disk now (start-up, -t, a restart, .htaccess files).</summary>
public sealed class DiskConfigFiles : IConfigFiles
{
    public static readonly DiskConfigFiles Instance = new();

    private DiskConfigFiles()
    {
    }

    public string? TryRead(string path, out string reason, out string? loggedBefore) => ConfigFileReader.TryRead(path, out reason, out loggedBefore);

    public string[] Entries(string path) => Directory.GetFileSystemEntries(path);

    public bool FileExists(string path) => File.Exists(path);

    public bool DirectoryExists(string path) => Directory.Exists(path);
}
