using System.IO;

namespace Pluma.Admin;

/// <summary>
/// How the tools name the service in hints and systemctl calls. Debian's second instances
/// (<c>/etc/apache2-NAME</c>, <c>a2enmod-NAME</c>) map to <c>/etc/pluma-NAME</c>, <c>service pluma-NAME</c>
/// and the systemd template <c>pluma@NAME</c>.
/// </summary>
internal static class ServiceNames
{
    public const string Service = "pluma";

    public static bool DetectSystemd(AdminContext context)
    {
        if (context.IsSystemd is bool known)
        {
            return known;
        }

        // Debian reads /proc/1/exe, which only root may; /run/systemd/system is sd_booted()'s test and
        // answers for everyone.
        try
        {
            string? init = new FileInfo("/proc/1/exe").LinkTarget;
            if (init is not null)
            {
                return init.Contains("systemd", StringComparison.Ordinal);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return Directory.Exists("/run/systemd/system");
    }

    /// <summary>"-NAME" for a tree at <c>/etc/pluma-NAME</c>, else empty.</summary>
    public static string InstanceSuffix(string confDir)
    {
        const string prefix = AdminPaths.InstalledConfDir + "-";
        string trimmed = confDir.TrimEnd('/');
        return trimmed.StartsWith(prefix, StringComparison.Ordinal) && trimmed.Length > prefix.Length
            ? "-" + trimmed[prefix.Length..]
            : string.Empty;
    }

    public static string SystemdUnit(string suffix) => suffix.Length == 0 ? Service : Service + "@" + suffix[1..];

    /// <summary>The command line of the "To activate the new configuration" hint, without its indent.</summary>
    public static string ActivateCommand(bool systemd, string verb, string suffix) =>
        systemd ? $"systemctl {verb} {SystemdUnit(suffix)}" : $"service {Service}{suffix} {verb}";
}
