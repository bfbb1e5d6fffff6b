using System.IO;
using System.Linq;
using Pluma.Config;
using Pluma.Modules.Hosting;

namespace Pluma.Host;

/// <summary>The messages Apache prints on the terminal while it reads its configuration at start-up and with -t.</summary>
internal static class StartupMessages
{
    /// <param name="startupLevel">-e: the least severe level shown; every message here is a warning.</param>
    public static void Write(TextWriter err, ConfigSession session, string program, bool checkDocumentRoots = true, string? startupLevel = null)
    {
        if (startupLevel is not null && Connections.Diagnostics.ErrorLogFormat.TryParseLevel(startupLevel, out var level) && level < Connections.Diagnostics.LogLevel.Warn)
        {
            return;
        }

        if (checkDocumentRoots)
        {
            // core.c's check at start-up (skipped with -T).
            foreach (Config.ServerConfig server in session.Config.VirtualHosts.Prepend(session.Config.MainServer))
            {
                string? root = server.ModuleConfig.Get<Modules.Core.CoreServerConfig>(Modules.Core.CoreModule.Descriptor)?.DocumentRoot;
                if (root is not null && !Directory.Exists(root))
                {
                    err.WriteLine("AH00112: Warning: DocumentRoot [" + root + "] does not exist");
                }
            }
        }

        foreach (ConfigWarning w in session.Config.Warnings)
        {
            err.WriteLine(w.ToString());
        }

        if (!ServerRuntimeBuilder.HasServerName(session.Config))
        {
            err.WriteLine(ServerRuntimeBuilder.ServerNameWarning(program));
        }

        foreach (string w in session.MpmWarnings)
        {
            err.WriteLine(w);
        }
    }
}
