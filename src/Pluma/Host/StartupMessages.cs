using System.IO;
using Pluma.Config;
using Pluma.Modules.Hosting;

namespace Pluma.Host;

/// <summary>The messages Apache prints on the terminal while it reads its configuration at start-up and with -t.</summary>
internal static class StartupMessages
{
    public static void Write(TextWriter err, ConfigSession session, string program)
    {
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
