using System.Collections.Generic;
using System.IO;

namespace Pluma.Admin;

/// <summary>
/// The one entry point the host calls: Debian's admin tools by name.
/// <code>
/// var ctx = AdminContext.ForConsole(Environment.ProcessPath!, argv0);
/// if (AdminTools.TryRun(Path.GetFileName(argv0), args, ctx, out int rc)) return rc;
/// </code>
/// </summary>
public static class AdminTools
{
    /// <summary>The names the host links to itself (bin/ and $PREFIX/sbin).</summary>
    public static IReadOnlyList<string> ToolNames { get; } =
    [
        "apachectl", "apache2ctl", "a2enmod", "a2dismod", "a2ensite", "a2dissite", "a2enconf", "a2disconf", "a2query",
    ];

    /// <summary>True when <paramref name="toolName"/> (a basename) names an admin tool, including
    /// Debian's multi-instance forms such as <c>a2enmod-second</c>.</summary>
    public static bool IsTool(string toolName)
    {
        ArgumentNullException.ThrowIfNull(toolName);
        return toolName is "apachectl" or "apache2ctl" or "a2query" || EnableTool.TryParseName(toolName, out _, out _, out _);
    }

    /// <summary>Runs the tool named <paramref name="toolName"/> (argv[0]'s basename or the host's
    /// subcommand); false when the name is not an admin tool.</summary>
    public static bool TryRun(string toolName, string[] args, AdminContext context, out int exitCode)
    {
        ArgumentNullException.ThrowIfNull(toolName);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        string name = Path.GetFileName(toolName);
        exitCode = 0;
        try
        {
            if (name is "apachectl" or "apache2ctl")
            {
                exitCode = new ControlTool(context, context.InvocationName ?? name).Run(args);
                return true;
            }

            if (name == "a2query")
            {
                exitCode = new QueryTool(context, context.InvocationName ?? name).Run(args);
                return true;
            }

            if (EnableTool.TryParseName(name, out bool enable, out EnableKind kind, out string suffix))
            {
                exitCode = new EnableTool(context, enable, kind, suffix).Run(args);
                return true;
            }
        }
        finally
        {
            context.Out.Flush();
            context.Error.Flush();
        }

        return false;
    }
}
