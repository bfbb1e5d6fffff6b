using System.Collections.Generic;
using System.IO;

namespace Pluma.Config.Parsing;

/// <summary>
/// The files an Include or IncludeOptional names, in the order httpd reads them: a directory is
/// read recursively, entries sorted by ordinal name; wildcards may appear in any component
/// (a wildcard component that is not the last matches directories only); wildcards do not match
/// a leading '.'. Include fails on a missing file, an unreadable directory or a wildcard that
/// matches nothing; IncludeOptional ignores all three.
/// </summary>
internal static class IncludeExpander
{
    public static void Expand(IConfigFiles files, string path, bool optional, Action<string> readFile)
    {
        if (!Fnmatch.HasWildcard(path))
        {
            ExpandPlain(files, path, optional, readFile);
            return;
        }

        // Split at the first component that holds a wildcard.
        string[] parts = path.Split('/');
        int first = 0;
        while (first < parts.Length && !Fnmatch.HasWildcard(parts[first]))
        {
            first++;
        }

        string root = string.Join('/', parts, 0, first);
        if (root.Length == 0)
        {
            root = "/";
        }

        ExpandPattern(files, root, parts, first, optional, readFile);
    }

    private static void ExpandPattern(IConfigFiles files, string dir, string[] parts, int index, bool optional, Action<string> readFile)
    {
        string pattern = parts[index];
        bool last = index == parts.Length - 1;
        string[] entries;
        try
        {
            entries = files.Entries(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (optional)
            {
                return;
            }

            throw new ReadTimeError("Include/IncludeOptional: Could not open directory " + dir + ": " + Describe(e));
        }

        List<string> matches = [];
        foreach (string entry in entries)
        {
            string name = Path.GetFileName(entry);
            if (Fnmatch.IsMatch(pattern, name, pathName: true, period: true) && (last || files.DirectoryExists(entry)))
            {
                matches.Add(name);
            }
        }

        if (matches.Count == 0)
        {
            if (optional)
            {
                return;
            }

            throw new ReadTimeError("Include/IncludeOptional: No matches for the wildcard '" + pattern + "' in '" + dir + "', failing");
        }

        matches.Sort(StringComparer.Ordinal);
        foreach (string name in matches)
        {
            string full = dir.EndsWith('/') ? dir + name : dir + "/" + name;
            if (last)
            {
                ExpandPlain(files, full, optional, readFile);
                continue;
            }

            string rest = string.Join('/', parts, index + 1, parts.Length - index - 1);
            if (Fnmatch.HasWildcard(rest))
            {
                int next = index + 1;
                string deeper = full;
                while (!Fnmatch.HasWildcard(parts[next]))
                {
                    deeper += "/" + parts[next];
                    next++;
                }

                ExpandPattern(files, deeper, parts, next, optional, readFile);
            }
            else
            {
                ExpandPlain(files, full + "/" + rest, optional, readFile);
            }
        }
    }

    private static void ExpandPlain(IConfigFiles files, string path, bool optional, Action<string> readFile)
    {
        if (files.DirectoryExists(path))
        {
            string[] entries;
            try
            {
                entries = files.Entries(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ReadTimeError("Could not open config directory " + path + ": " + Describe(e));
            }

            Array.Sort(entries, StringComparer.Ordinal);
            foreach (string entry in entries)
            {
                ExpandPlain(files, entry, optional, readFile);
            }

            return;
        }

        if (!files.FileExists(path))
        {
            if (optional)
            {
                return;
            }

            throw new ReadTimeError("Could not open configuration file " + path + ": No such file or directory");
        }

        readFile(path);
    }

    public static string Describe(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "No such file or directory",
        UnauthorizedAccessException => "Permission denied",
        _ => e.Message,
    };
}
