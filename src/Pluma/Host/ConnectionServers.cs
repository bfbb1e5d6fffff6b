using System.Collections.Generic;
using System.Net;
using Pluma.Config;
using Pluma.Modules.Core;
using Pluma.Modules.Hosting;

namespace Pluma.Host;

/// <summary>
/// The server whose configuration reads each listener's request lines and header fields
/// (Apache's conn->base_server: the first virtual host of the address, else the main server).
/// Apache applies HttpProtocolOptions from that server, not from the virtual host the Host field
/// picks afterwards. Pluma's HTTP engine has one setting for all listeners, so a configuration
/// whose listeners would need different ones is refused (PL00230) rather than served wrongly.
/// </summary>
internal static class ConnectionServers
{
    /// <summary>The HttpProtocolOptions (Strict, RegisteredMethods, Allow0.9) every listener reads requests with.</summary>
    public static (bool Strict, bool RegisteredMethods, bool AllowHttp09) ProtocolOptions(LoadedConfig config)
    {
        CoreServerConfig main = Core(config.MainServer);
        (bool, bool, bool)? chosen = null;
        string? chosenListen = null;
        foreach (ListenDirective listen in main.Main.Listen)
        {
            CoreServerConfig core = Core(BaseServer(config, listen));
            (bool, bool, bool) options = (core.StrictProtocol ?? true, core.RegisteredMethodsOnly ?? false, core.AllowHttp09 ?? true);
            string where = (listen.Address.Length == 0 ? "*" : listen.Address) + ":" + listen.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (chosen is null)
            {
                (chosen, chosenListen) = (options, where);
            }
            else if (chosen != options)
            {
                throw ConfigException.Startup("PL00230", "HttpProtocolOptions differs between the servers that take the connections of "
                    + chosenListen + " and of " + where + " (each listener's first virtual host); Pluma reads the requests of every listener with one setting, so this configuration is refused");
            }
        }

        return chosen ?? (main.StrictProtocol ?? true, main.RegisteredMethodsOnly ?? false, main.AllowHttp09 ?? true);
    }

    private static ServerConfig BaseServer(LoadedConfig config, ListenDirective listen)
    {
        IPAddress address = IPAddress.TryParse(listen.Address.Trim('[', ']'), out IPAddress? a) ? a : IPAddress.Any;
        var local = new IPEndPoint(address, listen.Port);
        ServerConfig? wildcard = null;
        foreach (ServerConfig vhost in config.VirtualHosts)
        {
            foreach (string text in vhost.Addresses)
            {
                VirtualHostAddress parsed = VirtualHostAddress.Parse(text);
                if (!parsed.Matches(local))
                {
                    continue;
                }

                if (!parsed.IsWildcard)
                {
                    return vhost; // an exact address beats every wildcard (vhost.c's IP hash first)
                }

                wildcard ??= vhost;
            }
        }

        return wildcard ?? config.MainServer;
    }

    private static CoreServerConfig Core(ServerConfig s) => s.ModuleConfig.Get<CoreServerConfig>(CoreModule.Descriptor) ?? new CoreServerConfig();
}
