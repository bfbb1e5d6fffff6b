using System.IO;

namespace Pluma.Admin;

/// <summary>
/// The <c>{enabled,disabled}_by_{admin,maint}/NAME</c> marker files under the state directory
/// (<c>/var/lib/pluma/module</c> ...), which tell a2query, and package scripts, who last switched what.
/// </summary>
internal sealed class StateMarkers(string objectDir, TextWriter error)
{
    /// <summary>The state directory: <c>PLUMA_STATE_DIR</c> (tests), Debian's <c>APACHE_STATE_DIRECTORY</c>,
    /// else the context's default.</summary>
    public static string Root(AdminContext context) =>
        context.GetEnv("PLUMA_STATE_DIR") ?? context.GetEnv("APACHE_STATE_DIRECTORY") ?? context.DefaultStateDir;

    /// <summary>Removes every older marker of <paramref name="name"/> and, unless purging, writes the new one.</summary>
    public bool Switch(string action, string name, bool maintainer, bool purge)
    {
        string markerDir = Path.Combine(objectDir, action + "d_by_" + (maintainer ? "maint" : "admin"));
        try
        {
            Directory.CreateDirectory(markerDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.Write($"ERROR: Failed to create marker directory: '{markerDir}'\n");
        }

        if (Directory.Exists(objectDir))
        {
            foreach (string old in Directory.EnumerateFiles(objectDir, name, SearchOption.AllDirectories))
            {
                if (Path.GetFileName(old) == name && !FileLinks.TryDelete(old))
                {
                    error.Write($"ERROR: Failed to remove old marker '{old}'!\n");
                    return false;
                }
            }
        }

        if (purge)
        {
            return true;
        }

        string marker = Path.Combine(markerDir, name);
        try
        {
            File.WriteAllBytes(marker, []);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.Write($"ERROR: Failed to create marker '{marker}'!\n");
            return false;
        }
    }

    /// <summary>"admin" or "maint" when a marker of <paramref name="what"/> ("enabled"/"disabled") exists
    /// for <paramref name="name"/>; maint is checked first, as a2query does.</summary>
    public static string? Who(string objectDir, string what, string name)
    {
        foreach (string who in (string[])["maint", "admin"])
        {
            if (File.Exists(Path.Combine(objectDir, what + "_by_" + who, name)))
            {
                return who;
            }
        }

        return null;
    }
}
