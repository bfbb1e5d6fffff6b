using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Pluma.Config;
using Pluma.Modules.Core;

namespace Pluma.Host;

/// <summary>
/// What -t -D DUMP_MODULES, DUMP_VHOSTS, DUMP_RUN_CFG and DUMP_INCLUDES print (-M and -S), in the layout of
/// Apache's main.c and vhost.c dump routines.
/// </summary>
internal static class ConfigDump
{
    public static void Modules(TextWriter w, LoadedConfig config)
    {
        w.WriteLine("Loaded Modules:");
        foreach (ModuleDescriptor m in config.Modules)
        {
            w.WriteLine(" " + m.Name + (m.IsStatic ? " (static)" : " (shared)"));
        }
    }

    public static void VirtualHosts(TextWriter w, LoadedConfig config, string mainServerName)
    {
        w.WriteLine("VirtualHost configuration:");
        // Group vhosts by address as written; exact addresses are listed before wildcards, as
        // Apache walks its IP hash before the default list.
        var groups = new List<(string Address, List<ServerConfig> Hosts)>();
        foreach (ServerConfig vh in config.VirtualHosts)
        {
            foreach (string address in vh.Addresses)
            {
                string key = Normalize(address);
                var g = groups.FirstOrDefault(x => x.Address == key);
                if (g.Hosts is null)
                {
                    g = (key, []);
                    groups.Add(g);
                }

                g.Hosts.Add(vh);
            }
        }

        foreach (var (address, hosts) in groups.Where(g => !IsWildcard(g.Address)).Concat(groups.Where(g => IsWildcard(g.Address))))
        {
            if (hosts.Count == 1)
            {
                w.WriteLine($"{address,-22} {Name(hosts[0], mainServerName)} ({hosts[0].File}:{hosts[0].Line})");
                continue;
            }

            w.WriteLine($"{address,-22} is a NameVirtualHost");
            string port = address[(address.LastIndexOf(':') + 1)..];
            w.WriteLine($"         default server {Name(hosts[0], mainServerName)} ({hosts[0].File}:{hosts[0].Line})");
            foreach (ServerConfig h in hosts)
            {
                w.WriteLine($"         port {port} namevhost {Name(h, mainServerName)} ({h.File}:{h.Line})");
                // server_alias keeps names with wildcards apart (apr_fnmatch_test), listed after the plain ones.
                foreach (string alias in Core(h).ServerAliases.Where(a => a.IndexOfAny(['*', '?', '[']) < 0))
                {
                    w.WriteLine("                 alias " + alias);
                }

                foreach (string alias in Core(h).ServerAliases.Where(a => a.IndexOfAny(['*', '?', '[']) >= 0))
                {
                    w.WriteLine("                 wild alias " + alias);
                }
            }
        }
    }

    public static void RunConfig(TextWriter w, ConfigSession session)
    {
        LoadedConfig config = session.Config;
        CoreServerConfig core = session.MainCore;
        w.WriteLine($"ServerRoot: \"{config.ServerRoot}\"");
        w.WriteLine($"Main DocumentRoot: \"{core.DocumentRoot ?? "/var/www/html"}\"");
        w.WriteLine($"Main ErrorLog: \"{session.ErrorLogPath}\"");
        w.WriteLine($"Mutex default: dir=\"{session.RuntimeDir.TrimEnd('/')}/\" mechanism=default ");
        w.WriteLine("Mutex watchdog-callback: using_defaults");
        w.WriteLine($"PidFile: \"{session.PidFile}\"");
        foreach (string define in config.Defines)
        {
            w.WriteLine("Define: " + define);
        }

        // The ids were resolved when User and Group were read (ap_uname2id), as unsigned numbers.
        w.WriteLine($"User: name=\"{core.Main.User}\" id={core.Main.UserId}");
        w.WriteLine($"Group: name=\"{core.Main.Group}\" id={core.Main.GroupId}");
    }

    private static string Normalize(string address) => address.Contains(':', StringComparison.Ordinal) && !address.EndsWith(']') ? address : address + ":*";

    private static bool IsWildcard(string address) => address.StartsWith("*:", StringComparison.Ordinal) || address.StartsWith("_default_", StringComparison.Ordinal);

    private static string Name(ServerConfig vh, string mainServerName) => Core(vh).ServerName ?? mainServerName;

    private static CoreServerConfig Core(ServerConfig s) => s.ModuleConfig.Get<CoreServerConfig>(CoreModule.Descriptor) ?? new CoreServerConfig();

    /// <summary>
    /// -t -D DUMP_INCLUDES (main.c dump_includes): the main file, then each file an Include read,
    /// indented by its depth, with the line of the Include that read it.
    /// </summary>
    public static void Includes(TextWriter w, LoadedConfig config)
    {
        w.WriteLine("Included configuration files:");
        w.WriteLine("  (*) " + config.ConfigFile);
        foreach (IncludedFile f in config.Includes)
        {
            w.Write(new string(' ', 4 + (2 * f.Depth)));
            w.WriteLine("(" + f.IncludeLine.ToString(CultureInfo.InvariantCulture) + ") " + f.Path);
        }
    }
}
