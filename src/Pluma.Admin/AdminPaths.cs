using System.IO;

namespace Pluma.Admin;

/// <summary>
/// Where a Pluma's configuration and state live, decided from where its executable is. A source
/// build (an executable under a checkout holding <c>Pluma.slnx</c> and <c>conf/apache2.conf</c>) acts on
/// the checkout's <c>conf/</c> and keeps state in the git-ignored <c>var/lib/pluma</c>; anything else is
/// an installed Pluma on <c>/etc/pluma</c> and <c>/var/lib/pluma</c>, as Debian's apache2 uses
/// <c>/etc/apache2</c> and <c>/var/lib/apache2</c>.
/// </summary>
public static class AdminPaths
{
    public const string InstalledConfDir = "/etc/pluma";

    public const string InstalledStateDir = "/var/lib/pluma";

    /// <summary>The checkout the executable belongs to, or null for an installed Pluma.</summary>
    public static string? SourceTreeRoot(string plumaExecutable)
    {
        ArgumentNullException.ThrowIfNull(plumaExecutable);
        string exe = ResolveExecutable(plumaExecutable);
        for (string? dir = Path.GetDirectoryName(exe); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Pluma.slnx")) && File.Exists(Path.Combine(dir, "conf", "apache2.conf")))
            {
                return dir;
            }
        }

        return null;
    }

    public static string DefaultConfDir(string plumaExecutable)
    {
        string? root = SourceTreeRoot(plumaExecutable);
        return root is null ? InstalledConfDir : Path.Combine(root, "conf");
    }

    public static string DefaultStateDir(string plumaExecutable)
    {
        string? root = SourceTreeRoot(plumaExecutable);
        return root is null ? InstalledStateDir : Path.Combine(root, "var", "lib", "pluma");
    }

    // bin/apachectl is a symlink to bin/pluma; follow it so an installed /usr/local/sbin/apachectl
    // pointing into a checkout is still a source build.
    private static string ResolveExecutable(string path)
    {
        try
        {
            string full = Path.GetFullPath(path);
            FileSystemInfo? target = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true);
            return target?.FullName ?? full;
        }
        catch (IOException)
        {
            return Path.GetFullPath(path);
        }
    }
}
