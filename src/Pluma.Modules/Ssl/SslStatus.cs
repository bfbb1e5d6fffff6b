using System.Linq;
using System.Text;
using Pluma.Modules.Hosting;
using Pluma.Modules.Status;

namespace Pluma.Modules.Ssl;

/// <summary>
/// mod_ssl's status hook (ssl_ext_status_hook): where SSLSessionCache names a cache, server-status
/// ends with "SSL/TLS Session Cache Status" (and ?auto with TLSSessionCacheStatus): SHMCB and the
/// store's size where the children share <c>SSLSessionCache shmcb:</c>'s store
/// (<see cref="SslSharedSessions"/>), OPENSSL where sessions resume from each child's own cache
/// (another kind of store, or no store could be made), NONE where none resumes
/// (<see cref="SslServerConfig.ResumesSessions"/>).
/// </summary>
internal static class SslStatus
{
    public static void Hook(RequestRecord r, StatusHookFlags flags, StringBuilder sb)
    {
        SslServerConfig? main = r.Runtime.MainServer.Config.ModuleConfig.Get<SslServerConfig>(SslModule.Descriptor);
        if (main?.SessionCache is not { } cache || cache.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        bool resumes = false;
        foreach (VirtualServer s in r.Runtime.VirtualHosts.Append(r.Runtime.MainServer))
        {
            resumes |= s.Config.ModuleConfig.Get<SslServerConfig>(SslModule.Descriptor) is { Enabled: true, ResumesSessions: true };
        }

        long shared = resumes ? SslSharedSessions.StoreBytes : 0;
        string type = shared > 0 ? "SHMCB" : resumes ? "OPENSSL" : "NONE";
        if ((flags & StatusHookFlags.Short) != 0)
        {
            sb.Append("TLSSessionCacheStatus\nCacheType: ").Append(type).Append('\n');
            if (shared > 0)
            {
                sb.Append("CacheSharedMemory: ").Append(shared).Append('\n');
            }

            return;
        }

        sb.Append("<hr>\n<table cellspacing=0 cellpadding=0>\n<tr><td bgcolor=\"#000000\">\n")
          .Append("<b><font color=\"#ffffff\" face=\"Arial,Helvetica\">SSL/TLS Session Cache Status:</font></b>\r</td></tr>\n")
          .Append("<tr><td bgcolor=\"#ffffff\">\n")
          .Append("cache type: <b>").Append(type).Append("</b>")
          .Append(shared > 0
              ? ", shared memory: " + shared + " bytes, up to " + SslSharedSessions.StoreSessions + " sessions shared by every child<br>"
              : resumes
              ? ", OpenSSL's session cache and ticket key inside each child (SSLSessionCache " + cache + " is not shared)<br>"
              : " (no session resumes in this child)<br>")
          .Append("</td></tr>\n</table>\n");
    }
}
