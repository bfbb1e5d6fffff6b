using System.Collections.Generic;
using System.IO;

namespace Pluma.Admin;

/// <summary>
/// Everything an admin tool may touch of the outside world: the console streams, the environment it
/// was started with, where the pluma executable is, and the defaults of this Pluma (source build or
/// installed). The tools never read <see cref="Environment"/> or <see cref="Console"/> themselves, so
/// a test can run them in-process on a temporary tree.
/// </summary>
public sealed class AdminContext
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public required TextReader In { get; init; }

    /// <summary>The environment the tool was started with (not modified by the tools).</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>The pluma executable apachectl starts (<c>pluma -k start</c>, as apache2ctl runs apache2).</summary>
    public required string PlumaExecutable { get; init; }

    /// <summary>The configuration tree when <c>APACHE_CONFDIR</c> is unset: the repository's <c>conf/</c>
    /// for a source build, <c>/etc/pluma</c> when installed.</summary>
    public required string DefaultConfDir { get; init; }

    /// <summary>Where a2enmod keeps its enabled_by/disabled_by markers when <c>PLUMA_STATE_DIR</c> is unset.</summary>
    public required string DefaultStateDir { get; init; }

    /// <summary>The name the tool was called by, as usage lines show it (Debian prints <c>$0</c>).</summary>
    public string? InvocationName { get; init; }

    /// <summary>Whether systemd is the init system; null detects it (<c>/proc/1/exe</c>, <c>/run/systemd/system</c>).</summary>
    public bool? IsSystemd { get; init; }

    /// <summary>When true, child processes (pluma, systemctl) write straight to this process's console
    /// instead of through <see cref="Out"/>/<see cref="Error"/>; right for a terminal, wrong for a test.</summary>
    public bool InheritConsole { get; init; }

    /// <summary>A context on the real console and process environment, with the defaults that
    /// <see cref="AdminPaths"/> derives from where <paramref name="plumaExecutable"/> lives.</summary>
    public static AdminContext ForConsole(string plumaExecutable, string? invocationName = null)
    {
        ArgumentNullException.ThrowIfNull(plumaExecutable);
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in System.Environment.GetEnvironmentVariables())
        {
            env[(string)e.Key] = e.Value as string ?? string.Empty;
        }

        return new AdminContext
        {
            Out = Console.Out,
            Error = Console.Error,
            In = Console.In,
            Environment = env,
            PlumaExecutable = plumaExecutable,
            DefaultConfDir = AdminPaths.DefaultConfDir(plumaExecutable),
            DefaultStateDir = AdminPaths.DefaultStateDir(plumaExecutable),
            InvocationName = invocationName,
            InheritConsole = true,
        };
    }

    internal string? GetEnv(string name)
    {
        return Environment.TryGetValue(name, out string? v) && v.Length > 0 ? v : null;
    }
}
