using System.IO;

namespace Pluma.Admin;

/// <summary>Perl's file tests on symlinks, which .NET's <c>File.Exists</c> does not give: it is true
/// for a dangling link, where Perl's <c>-e</c> (and Debian's a2enmod) says false.</summary>
internal static class FileLinks
{
    /// <summary>Perl <c>-l</c>: the path itself is a symbolic link (dangling or not).</summary>
    public static bool IsLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget is not null;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Perl <c>-e</c>: the path exists after following links.</summary>
    public static bool Exists(string path)
    {
        if (!IsLink(path))
        {
            return File.Exists(path) || Directory.Exists(path);
        }

        try
        {
            FileSystemInfo? target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
            return target is not null && (File.Exists(target.FullName) || Directory.Exists(target.FullName));
        }
        catch (IOException)
        {
            return false; // a loop of links, as stat(2) fails with ELOOP
        }
    }

    /// <summary>Roughly realpath(3) for the last component: the final target of a link, else the path.</summary>
    public static string RealPath(string path)
    {
        string full = Path.GetFullPath(path);
        try
        {
            FileSystemInfo? target = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true);
            return target is null ? full : Path.GetFullPath(target.FullName);
        }
        catch (IOException)
        {
            return full;
        }
    }

    /// <summary>A relative link as a2enmod makes them: <c>../mods-available/X.load</c>.</summary>
    public static void CreateRelative(string target, string link)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(link)) ?? ".";
        File.CreateSymbolicLink(link, Path.GetRelativePath(dir, Path.GetFullPath(target)));
    }

    public static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
