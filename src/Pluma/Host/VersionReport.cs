using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using Pluma.Config;

namespace Pluma.Host;

/// <summary>-v, -V, -l and -L, in the shape Debian's apache2 prints them (main.c show_compile_settings).</summary>
internal static class VersionReport
{
    public static void WriteVersion(TextWriter w)
    {
        w.WriteLine("Server version: " + ProductInfo.Banner(null));
        w.WriteLine("Server built:   " + ProductInfo.Built);
    }

    /// <summary>The -V block; <paramref name="mpmLines"/> are the MPM's lines (empty when no MPM could be loaded).</summary>
    public static void WriteCompileSettings(TextWriter w, IReadOnlyList<string> mpmLines)
    {
        string runtime = ".NET " + Environment.Version;
        WriteVersion(w);
        w.WriteLine("Server's Module Magic Number: " + ProductInfo.ModuleMagicNumber);
        w.WriteLine("Server loaded:  " + runtime);
        w.WriteLine("Compiled using: " + RuntimeInformation.FrameworkDescription);
        w.WriteLine("Architecture:   " + (Environment.Is64BitProcess ? "64-bit" : "32-bit"));
        if (mpmLines.Count == 0)
        {
            w.WriteLine("Server MPM:     ");
        }
        else
        {
            foreach (string line in mpmLines)
            {
                w.WriteLine(line);
            }
        }

        w.WriteLine("Server compiled with....");
        w.WriteLine(" -D APR_HAS_SENDFILE");
        w.WriteLine(" -D APR_HAVE_IPV6 (IPv4-mapped addresses enabled)");
        w.WriteLine(" -D SINGLE_LISTEN_UNSERIALIZED_ACCEPT");
        w.WriteLine(" -D AP_HAVE_RELIABLE_PIPED_LOGS");
        w.WriteLine(" -D HTTPD_ROOT=\"" + ProductInfo.InstalledServerRoot + "\"");
        w.WriteLine(" -D DEFAULT_PIDLOG=\"/run/pluma.pid\"");
        w.WriteLine(" -D DEFAULT_SCOREBOARD=\"logs/apache_runtime_status\"");
        w.WriteLine(" -D DEFAULT_ERRORLOG=\"logs/error_log\"");
        w.WriteLine(" -D AP_TYPES_CONFIG_FILE=\"mime.types\"");
        w.WriteLine(" -D SERVER_CONFIG_FILE=\"apache2.conf\"");
    }

    /// <summary>-l: the modules compiled in that are always loaded (Apache lists source files).</summary>
    public static void WriteCompiledModules(TextWriter w, IEnumerable<ModuleDescriptor> modules)
    {
        w.WriteLine("Compiled in modules:");
        foreach (ModuleDescriptor m in modules)
        {
            if (m.IsStatic)
            {
                w.WriteLine("  " + m.SourceFile);
            }
        }
    }

    /// <summary>-L: every directive with its help text and where it is allowed (main.c's show_directives).</summary>
    public static void WriteDirectives(TextWriter w, IEnumerable<ModuleDescriptor> modules)
    {
        foreach (ModuleDescriptor m in modules)
        {
            foreach (DirectiveDefinition d in m.Directives)
            {
                w.WriteLine(d.Name + " (" + m.SourceFile + ")");
                w.WriteLine("\t" + (d.Help ?? string.Empty) + (d.NotImplemented ? " [accepted, not implemented yet]" : string.Empty));
                w.WriteLine("\t" + Where(d.Scope));
            }
        }
    }

    private static string Where(DirectiveScope scope)
    {
        var parts = new List<string>();
        if ((scope & DirectiveScope.RsrcConf) != 0)
        {
            parts.Add("Allowed in *.conf outside <Directory>, <Files>, <Location>, or <If>");
        }

        if ((scope & DirectiveScope.AccessConf) != 0)
        {
            parts.Add("Allowed in *.conf only inside <Directory>, <Files>, <Location>, or <If>");
        }

        if ((scope & DirectiveScope.OrAll) != 0)
        {
            parts.Add("Allowed in *.conf anywhere");
        }

        return string.Join("\n\t", parts);
    }
}
