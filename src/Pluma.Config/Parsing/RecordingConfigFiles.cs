using System.IO;

namespace Pluma.Config.Parsing;

/// <summary>Reads the disk for the parent and keeps every answer in <see cref="Snapshot"/> for its children.</summary>
public sealed class RecordingConfigFiles : IConfigFiles
{
    private readonly IConfigFiles _disk = DiskConfigFiles.Instance;

    public ConfigSnapshot Snapshot { get; } = new();

    public string? TryRead(string path, out string reason, out string? loggedBefore)
    {
        string? text = _disk.TryRead(path, out reason, out loggedBefore);
        Snapshot.AddRead(path, text, reason, loggedBefore);
        return text;
    }

    public string[] Entries(string path)
    {
        try
        {
            string[] entries = _disk.Entries(path);
            Snapshot.AddListing(path, entries, "");
            return entries;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string error = IncludeExpander.Describe(e);
            Snapshot.AddListing(path, null, error);
            throw new IOException(error, e);
        }
    }

    public bool FileExists(string path)
    {
        bool exists = _disk.FileExists(path);
        Snapshot.AddFileExists(path, exists);
        return exists;
    }

    public bool DirectoryExists(string path)
    {
        bool exists = _disk.DirectoryExists(path);
        Snapshot.AddDirectoryExists(path, exists);
        return exists;
    }
}
