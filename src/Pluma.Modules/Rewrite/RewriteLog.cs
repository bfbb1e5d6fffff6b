using System.Globalization;
using System.Runtime.CompilerServices;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Rewrite;

/// <summary>
/// rewritelog: mod_rewrite's trace lines at LogLevel rewrite:trace1 ... trace8, in Apache's
/// format "REMOTE - USER [HOST/sid#ID][rid#ID/initial] (LEVEL) [perdir DIR] TEXT". Apache
/// prints its server_rec and request_rec pointers as the ids; Pluma prints stable numbers of
/// the same records. Each line costs one level test when the level is lower.
/// </summary>
internal static class RewriteLog
{
    public const string Module = "rewrite";

    public static bool Enabled(RequestRecord r, int level) => r.Server.ErrorLog.IsEnabled(LogLevel.Debug + level, Module);

    public static void Trace(RequestRecord r, int level, string? perDir, string text)
    {
        IErrorLog log = r.Server.ErrorLog;
        var lvl = (LogLevel)((int)LogLevel.Debug + level);
        if (!log.IsEnabled(lvl, Module))
        {
            return;
        }

        int redirects = 0;
        for (RequestRecord? p = r.Previous; p is not null; p = p.Previous)
        {
            redirects++;
        }

        string line = Address(r) + " - " + (r.User is null ? "-" : r.User.Length == 0 ? "\"\"" : r.User)
            + " [" + (r.Request.Host ?? r.Server.ServerName) + "/sid#" + Id(r.Server) + "][rid#" + Id(r) + "/"
            + (r.IsSubRequest ? "subreq" : "initial") + (redirects > 0 ? "/redir#" + redirects.ToString(CultureInfo.InvariantCulture) : string.Empty) + "] "
            + (perDir is null ? string.Empty : "[perdir " + perDir + "] ") + text;
        log.Write(lvl, Module, line, LogClient.Of(r));
    }

    private static string Address(RequestRecord r)
    {
        System.Net.IPAddress a = r.Request.RemoteEndPoint.Address;
        return (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).ToString();
    }

    private static string Id(object o) => RuntimeHelpers.GetHashCode(o).ToString("x", CultureInfo.InvariantCulture);
}
