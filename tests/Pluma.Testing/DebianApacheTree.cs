using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Pluma.Testing;

/// <summary>
/// Debian's /etc/apache2 as a fresh install of the apache2 package leaves it, built from the
/// package file, never from this machine's /etc/apache2 (which an administrator may have changed):
/// the .deb is unpacked into a private folder and its own a2enmod, a2enconf and a2ensite enable
/// what its postinst enables (enable_default_mpm, enable_default_modules, enable_default_conf,
/// install_default_site). The package file is kept in the git-ignored <c>.tools/debs/</c>;
/// <c>apt-get download apache2</c> fetches it there when it is missing.
/// </summary>
public static class DebianApacheTree
{
    // The apache2 package's postinst on a fresh install (Debian 12, apache2 2.4.x).
    private static readonly string[] s_defaultModules =
    [
        "authz_host", "auth_basic", "access_compat", "authn_file", "authz_user", "alias", "dir", "autoindex",
        "env", "mime", "negotiation", "setenvif", "filter", "deflate", "status", "reqtimeout",
    ];

    private static readonly string[] s_defaultConfs = ["charset", "localized-error-pages", "other-vhosts-access-log", "security", "serve-cgi-bin"];

    private static readonly Lazy<string> s_pristine = new(BuildPristine);

    /// <summary>The folder of the package file (<c>.tools/debs</c> in the checkout).</summary>
    public static string PackageFolder => Path.Combine(RepositoryPaths.Root, ".tools", "debs");

    /// <summary>Copies the fresh-install tree to <paramref name="destination"/> (which must not exist yet).</summary>
    public static void CopyTo(string destination)
    {
        ProcessResult cp = ProcessRunner.Run("cp", ["-a", s_pristine.Value, destination]);
        if (cp.ExitCode != 0)
        {
            throw new InvalidOperationException("cp -a of Debian's unpacked tree failed: " + cp.Combined);
        }
    }

    private static string BuildPristine()
    {
        string deb = FindOrDownloadPackage();
        string root = Directory.CreateTempSubdirectory("pluma-debian-apache2-").FullName;
        Run("dpkg-deb", ["-x", deb, root], null);
        string conf = Path.Combine(root, "etc", "apache2");
        string state = Path.Combine(root, "var", "lib", "apache2");
        Directory.CreateDirectory(state);
        var env = new Dictionary<string, string?> { ["APACHE_CONFDIR"] = conf, ["APACHE_STATE_DIRECTORY"] = state };
        string sbin = Path.Combine(root, "usr", "sbin");
        Run(Path.Combine(sbin, "a2enmod"), ["-m", "-q", "mpm_event"], env);
        Run(Path.Combine(sbin, "a2enmod"), ["-m", "-q", .. s_defaultModules], env);
        Run(Path.Combine(sbin, "a2enconf"), ["-m", "-q", .. s_defaultConfs], env);
        Run(Path.Combine(sbin, "a2ensite"), ["-q", "000-default"], env);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(root, (UnixFileMode)0x1ED); // 0755, as TempDirectory: www-data children read the copies' parents
        }

        // One unpacked tree per test process, removed when it ends; each test copies it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(root, recursive: true);
        return conf;
    }

    private static string FindOrDownloadPackage()
    {
        Directory.CreateDirectory(PackageFolder);
        string? deb = Newest();
        if (deb is null)
        {
            ProcessResult r = ProcessRunner.Run("apt-get", ["download", "apache2"], workingDirectory: PackageFolder);
            deb = Newest() ?? throw new InvalidOperationException(
                "Debian's apache2 package file is needed in .tools/debs; fetch it with: (mkdir -p .tools/debs && cd .tools/debs && apt-get download apache2)\n" + r.Combined);
        }

        return deb;

        string? Newest() => Directory.GetFiles(PackageFolder, "apache2_*.deb").OrderDescending(StringComparer.Ordinal).FirstOrDefault();
    }

    private static void Run(string file, IEnumerable<string> args, IDictionary<string, string?>? env)
    {
        ProcessResult r = ProcessRunner.Run(file, args, env);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({r.ExitCode}): {r.Combined}");
        }
    }
}
