using System.Collections.Generic;
using System.Linq;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Ssl;

/// <summary>
/// mod_ssl's request hooks (ssl_engine_kernel.c): post_read_request (plain HTTP on a TLS port,
/// SNI against Host), access_checker (SSLRequireSSL) and fixups (the HTTPS and SSL_* environment).
/// </summary>
internal static class SslRequestHooks
{
    private const string PlainHttpNotes = "Reason: You're speaking plain HTTP to an SSL-enabled server port.<br />\n Instead use the HTTPS scheme to access this URL, please.<br />\n";

    /// <summary>ssl_hook_ReadReq.</summary>
    public static int PostReadRequest(RequestRecord r)
    {
        if (r.Previous is not null)
        {
            return HookResult.Declined;
        }

        if (r.Http.Connection is PlainHttpConnection)
        {
            r.Notes["error-notes"] = PlainHttpNotes;
            return 400;
        }

        if (r.Http.Connection is not TlsConnection tls)
        {
            return HookResult.Declined;
        }

        string? sni = tls.Sni.ServerName;
        string? host = r.Request.Host;
        if (sni is not null)
        {
            if (host is null)
            {
                r.Server.ErrorLog.Write(LogLevel.Error, "ssl", "AH02031: Hostname " + sni + " provided via SNI, but no hostname provided in HTTP request", LogClient.Of(r));
                return 400;
            }

            if (!sni.Equals(host, StringComparison.OrdinalIgnoreCase) && !Compatible(tls.Sni.Server, r.Server))
            {
                r.Server.ErrorLog.Write(LogLevel.Error, "ssl", "AH02032: Hostname " + sni + " provided via SNI and hostname " + host + " provided via HTTP have no compatible SSL setup", LogClient.Of(r));
                return 421;
            }
        }
        else if (Config(tls.Sni.Server)?.StrictSniVHostCheck == true || Config(r.Server)?.StrictSniVHostCheck == true)
        {
            r.Server.ErrorLog.Write(LogLevel.Error, "ssl", "AH02033: No hostname was provided via SNI for a name based virtual host", LogClient.Of(r));
            r.Notes["error-notes"] = "Reason: The client software did not provide a hostname using Server Name Indication (SNI), which is required to access this server.<br />\n";
            return 403;
        }

        return HookResult.Declined;
    }

    /// <summary>ssl_hook_Access: SSLRequireSSL on a connection without TLS.</summary>
    public static int Access(RequestRecord r)
    {
        SslDirConfig? d = r.DirConfig.Get<SslDirConfig>(SslModule.Descriptor);
        if (d?.RequireSsl != true || r.Http.Connection is TlsConnection)
        {
            return HookResult.Declined;
        }

        r.Server.ErrorLog.Write(LogLevel.Error, "ssl", "AH02219: access to " + (r.Filename ?? r.Uri) + " failed, reason: SSL connection required", LogClient.Of(r));
        return 403;
    }

    /// <summary>ssl_hook_Fixup: HTTPS=on and SSL_TLS_SNI on a TLS connection; SSLOptions +StdEnvVars and +ExportCertData add the SSL_* variables.</summary>
    public static int Fixup(RequestRecord r)
    {
        if (r.Http.Connection is not TlsConnection tls)
        {
            return HookResult.Declined;
        }

        var env = r.Environment;
        env["HTTPS"] = "on";

        // The name the client sent by SNI, with or without +StdEnvVars (ssl_hook_Fixup).
        if (tls.Sni.ServerName is { } sni)
        {
            env["SSL_TLS_SNI"] = sni;
        }

        SslOptions options = r.DirConfig.Get<SslDirConfig>(SslModule.Descriptor)?.Effective ?? SslOptions.None;
        if ((options & SslOptions.StdEnvVars) != 0)
        {
            SslVariables.AddStandard(tls, env);
        }

        if ((options & SslOptions.ExportCertData) != 0)
        {
            SslVariables.AddCertData(tls, env);
        }

        return HookResult.Declined;
    }

    private static SslServerConfig? Config(VirtualServer s) => s.Config.ModuleConfig.Get<SslServerConfig>(SslModule.Descriptor);

    /// <summary>ssl_check_vhost_compat's question: would the Host's server have shaken hands the same way?</summary>
    private static bool Compatible(VirtualServer sniServer, VirtualServer hostServer)
    {
        if (ReferenceEquals(sniServer, hostServer))
        {
            return true;
        }

        SslServerConfig? a = Config(sniServer);
        SslServerConfig? b = Config(hostServer);
        if (a is null || b is null || b.Engine != true)
        {
            return false;
        }

        return SameFiles(a.CertificateFiles, b.CertificateFiles) && SameFiles(a.KeyFiles, b.KeyFiles)
            && a.Protocols == b.Protocols && a.EffectiveCipherString == b.EffectiveCipherString
            && a.EffectiveCiphersuites == b.EffectiveCiphersuites && a.ConfCmds.SequenceEqual(b.ConfCmds) && a.VerifyClient == b.VerifyClient
            && a.CACertificateFile?.Path == b.CACertificateFile?.Path && a.VerifyDepth == b.VerifyDepth;
    }

    private static bool SameFiles(List<ConfigFileRef> a, List<ConfigFileRef> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (int i = 0; i < a.Count; i++)
        {
            if (a[i].Path != b[i].Path)
            {
                return false;
            }
        }

        return true;
    }
}
