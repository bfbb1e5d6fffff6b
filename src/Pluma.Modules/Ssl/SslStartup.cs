using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Pluma.Config;
using Pluma.Http;
using Pluma.Modules.Core;
using Pluma.Modules.Hosting;
using Pluma.Modules.ReqTimeout;

namespace Pluma.Modules.Ssl;

/// <summary>
/// mod_ssl's post_config (ssl_init_Module): every server with SSLEngine on gets its certificate
/// and key loaded and checked. The host runs it right after reading the configuration, in the
/// parent (so -t and a refused restart report file, line and Apache's message) and in each
/// child before it drops its privileges, so a key readable only by root is read only by root.
/// </summary>
public static class SslStartup
{
    /// <summary>Loads the credentials of every SSL server of <paramref name="config"/>; throws <see cref="ConfigException"/>.</summary>
    public static void LoadCredentials(LoadedConfig config)
    {
        if (!config.IsLoaded(SslModule.Descriptor))
        {
            return;
        }

        SslServerConfig? main = config.MainServer.ModuleConfig.Get<SslServerConfig>(SslModule.Descriptor);
        string? dialog = main?.PassPhraseDialog;
        string mainName = config.MainServer.ModuleConfig.Get<CoreServerConfig>(CoreModule.Descriptor)?.ServerName ?? ServerRuntimeBuilder.FallbackServerName;
        foreach (ServerConfig server in new[] { config.MainServer }.Concat(config.VirtualHosts))
        {
            SslServerConfig? c = server.ModuleConfig.Get<SslServerConfig>(SslModule.Descriptor);
            if (c is not { Enabled: true } || c.Credentials is not null)
            {
                continue;
            }

            // ssl_util_vhostid: ServerName's port, else 443 for a server with SSLEngine on (never the Listen port).
            CoreServerConfig? core = server.ModuleConfig.Get<CoreServerConfig>(CoreModule.Descriptor);
            int port = core?.ServerNamePort ?? 443;
            string vhostId = (core?.ServerName ?? mainName) + ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            CheckConfCmdProtocols(c);
            c.Credentials = SslCredentials.Load(c, vhostId, server.File ?? config.ConfigFile, server.Line, id => AskPassPhrase(dialog, id));
        }
    }

    /// <summary>SSLOpenSSLConfCmd's protocol commands must leave a version SslStream serves (as SSLProtocol must, PL00300).</summary>
    private static void CheckConfCmdProtocols(SslServerConfig c)
    {
        if (c.ConfCmds.FindLast(x => x.Command.EndsWith("Protocol", StringComparison.Ordinal)) is { } last && c.EffectiveProtocols?.OffersAny != true)
        {
            throw SslCredentials.Refuse("PL00305: SSLOpenSSLConfCmd " + last.Command + " " + last.Value + ": leaves neither TLSv1.2 nor TLSv1.3", last.ConfigFile, last.Line);
        }
    }

    /// <summary>
    /// The HTTP engine behind mod_ssl's connection handling when some server has SSLEngine on,
    /// else the engine itself.
    /// </summary>
    public static Pluma.Connections.IConnectionHandler Wrap(HttpConnectionHandler http, ServerRuntime runtime)
    {
        if (runtime.Find(SslModule.Name) is null)
        {
            return http;
        }

        LoadCredentials(runtime.Config);
        var sites = new List<SslSite>();
        foreach (VirtualServer s in runtime.VirtualHosts.Append(runtime.MainServer))
        {
            if (s.Config.ModuleConfig.Get<SslServerConfig>(SslModule.Descriptor) is { Enabled: true, Credentials: { } creds } c)
            {
                sites.Add(new SslSite(s, c, creds, Http2.Http2Module.OffersH2(runtime, s)));
            }
        }

        if (sites.Count == 0)
        {
            return http;
        }

        // Each server's OpenSSL context, once per process, with mod_ssl's cipher lists, session
        // cache, timeout and tickets (SslStream has no options for them).
        SslContextTuning.Apply(sites, runtime.MainServer.Config.ModuleConfig.Get<SslServerConfig>(SslModule.Descriptor)?.SessionCache);

        HttpModule? reqtimeout = runtime.Find(ReqTimeoutModule.Name);
        ReqTimeoutServerConfig? rt = reqtimeout is null ? null : runtime.MainServer.Config.ModuleConfig.Get<ReqTimeoutServerConfig>(reqtimeout.Descriptor);
        TimeSpan handshake = rt?.Handshake is { Initial.Ticks: > 0 } h ? h.Initial : http.Options.Timeout;
        return new SslConnectionHandler(http, runtime, sites, handshake);
    }

    /// <summary>
    /// SSLPassPhraseDialog exec:PROGRAM (ssl_pphrase_Handle_CB): the program is run with the
    /// key's id ("name:port:index", Apache 2.4's one argument) and prints the pass phrase. "builtin" would ask on
    /// the terminal, which a server started by systemd has not: refused as Apache then fails.
    /// </summary>
    private static string? AskPassPhrase(string? dialog, string keyId)
    {
        if (dialog is null || !dialog.StartsWith("exec:", StringComparison.Ordinal))
        {
            return null;
        }

        var psi = new ProcessStartInfo(dialog[5..]) { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(keyId);
        try
        {
            using Process? p = Process.Start(psi);
            if (p is null)
            {
                return null;
            }

            string? line = p.StandardOutput.ReadLine();
            p.WaitForExit();
            return p.ExitCode == 0 ? line : null;
        }
        catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;
        }
    }
}
