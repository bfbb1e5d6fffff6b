using System.Collections.Generic;
using System.IO;

namespace Pluma.Admin;

/// <summary>What the admin tools read from a Debian-shaped tree without parsing the configuration.</summary>
internal static class ConfTree
{
    public static readonly string[] MpmNames = ["event", "worker", "prefork"];

    /// <summary>
    /// The words of a <c># Depends:</c> or <c># Conflicts:</c> header, read only up to the first line that
    /// is neither blank nor a comment, as a2enmod's get_deps does. Null when the file cannot be read.
    /// </summary>
    public static List<string>? ReadHeader(string file, string type)
    {
        var words = new List<string>();
        string prefix = "# " + type + ":";
        try
        {
            using var reader = new StreamReader(file);
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal) && line.Length > prefix.Length && char.IsWhiteSpace(line[prefix.Length]))
                {
                    words.AddRange(line[prefix.Length..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
                    return words;
                }

                string trimmed = line.TrimStart();
                if (trimmed.Length != 0 && trimmed[0] != '#')
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        return words;
    }

    /// <summary>The enabled MPMs (<c>mods-enabled/mpm_*.load</c> that resolve), in Debian's event, worker,
    /// prefork order.</summary>
    public static List<string> EnabledMpms(string modsEnabledDir)
    {
        var result = new List<string>();
        foreach (string mpm in MpmNames)
        {
            if (FileLinks.Exists(Path.Combine(modsEnabledDir, "mpm_" + mpm + ".load")))
            {
                result.Add(mpm);
            }
        }

        return result;
    }

    /// <summary>Names in <paramref name="dir"/> ending in <paramref name="suffix"/>, suffix removed, sorted.</summary>
    public static List<string> ListNames(string dir, string suffix)
    {
        var result = new List<string>();
        foreach (string entry in Directory.EnumerateFileSystemEntries(dir))
        {
            string name = Path.GetFileName(entry);
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal))
            {
                result.Add(name[..^suffix.Length]);
            }
        }

        result.Sort(StringComparer.Ordinal);
        return result;
    }
}
