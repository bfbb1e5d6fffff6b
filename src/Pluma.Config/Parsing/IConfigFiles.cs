namespace Pluma.Config.Parsing;

/// <summary>
/// The file system as the configuration reader sees it: the files it reads (the main file and
/// every Include), the directories it lists (Include of a directory or a wildcard), and the
/// existence tests of &lt;IfFile&gt; and ServerRoot. The parent reads the disk and records every
/// answer (<see cref="RecordingConfigFiles"/>); its children replay that record
/// (<see cref="ConfigSnapshot"/>), so a child serves exactly the configuration its generation
/// was started with, as Apache's forked children do, never files edited since.
/// </summary>
public interface IConfigFiles
{
    /// <summary>
    /// The text of <paramref name="path"/>, or null with the reason to give after "Could not open
    /// configuration file PATH: " and the line httpd logs before it (null if none).
    /// </summary>
    string? TryRead(string path, out string reason, out string? loggedBefore);

    /// <summary>The entries of directory <paramref name="path"/> (full paths, unsorted).</summary>
    /// <exception cref="System.IO.IOException">The directory cannot be read.</exception>
    string[] Entries(string path);

    bool FileExists(string path);

    bool DirectoryExists(string path);
}
