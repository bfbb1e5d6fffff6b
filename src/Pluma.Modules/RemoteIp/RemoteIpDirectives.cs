using System.IO;
using System.Net;
using System.Net.Sockets;
using Pluma.Config;
using Pluma.Modules.Authz;

namespace Pluma.Modules.RemoteIp;

/// <summary>mod_remoteip's directive table (remoteip_cmds).</summary>
internal static class RemoteIpDirectives
{
    public static DirectiveDefinition[] All() =>
    [
        new("RemoteIPHeader", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "Specifies a request header to trust as the client IP, e.g. X-Forwarded-For",
            call => Set(call, c => c.HeaderName = call.Args[0])),
        new("RemoteIPProxiesHeader", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "Specifies a request header to record proxy IP's, e.g. X-Forwarded-By; if not given then do not record",
            call => Set(call, c => c.ProxiesHeaderName = call.Args[0])),
        new("RemoteIPTrustedProxy", DirectiveArgs.Iterate, DirectiveScope.RsrcConf, "Specifies one or more proxies which are trusted to present IP headers",
            call => AddProxy(call, call.Args[0], isInternal: false)),
        new("RemoteIPInternalProxy", DirectiveArgs.Iterate, DirectiveScope.RsrcConf, "Specifies one or more internal (transparent) proxies which are trusted to present IP headers",
            call => AddProxy(call, call.Args[0], isInternal: true)),
        new("RemoteIPTrustedProxyList", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "The filename to read the list of trusted proxies, see the RemoteIPTrustedProxy directive",
            call => ReadList(call, isInternal: false)),
        new("RemoteIPInternalProxyList", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "The filename to read the list of internal proxies, see the RemoteIPInternalProxy directive",
            call => ReadList(call, isInternal: true)),
        new("RemoteIPProxyProtocol", DirectiveArgs.Flag, DirectiveScope.RsrcConf, "Enable PROXY protocol handling ('on', 'off')",
            call => Set(call, c => c.ProxyProtocol = call.FlagValue)),
        new("RemoteIPProxyProtocolExceptions", DirectiveArgs.TakeArgv, DirectiveScope.RsrcConf, "Disable PROXY protocol handling for this list of networks in CIDR format", Exceptions),
    ];

    private static string? Set(DirectiveCall call, Action<RemoteIpServerConfig> set)
    {
        set(call.GetServerRecord<RemoteIpServerConfig>());
        return null;
    }

    // proxies_set: an address or network as apr_ipsubnet_create reads it, else a host name whose addresses are all added.
    private static string? AddProxy(DirectiveCall call, string arg, bool isInternal)
    {
        RemoteIpServerConfig conf = call.GetServerRecord<RemoteIpServerConfig>();
        conf.Proxies ??= [];
        int slash = arg.IndexOf('/', StringComparison.Ordinal);
        string ip = slash < 0 ? arg : arg[..slash];
        if (LooksLikeIp(ip))
        {
            IpRange? range = IpRange.TryParse(arg);
            if (range is null)
            {
                string why = IpRange.IsBadMask(arg) ? "The specified network mask is invalid." : "The specified IP address is invalid.";
                return "RemoteIP: Error parsing IP " + arg + " (" + why + " error) for " + call.Directive.Name;
            }

            conf.Proxies.Add(new RemoteIpProxy(range, isInternal));
            return null;
        }

        if (slash >= 0)
        {
            return "RemoteIP: Error parsing IP " + arg + " the subnet /" + arg[(slash + 1)..] + " is invalid for " + call.Directive.Name;
        }

        IPAddress[] addresses;
        try
        {
            addresses = Dns.GetHostAddresses(ip);
        }
        catch (SocketException e)
        {
            return "RemoteIP: Error parsing IP " + arg + " (" + e.Message + " error) for " + call.Directive.Name;
        }

        foreach (IPAddress a in addresses)
        {
            IPAddress v = a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;
            conf.Proxies.Add(new RemoteIpProxy(new IpRange(v, v.AddressFamily == AddressFamily.InterNetwork ? 32 : 128), isInternal));
        }

        return null;
    }

    // looks_like_ip: a ':' means IPv6; otherwise only digits and dots.
    private static bool LooksLikeIp(string s)
    {
        if (s.Contains(':', StringComparison.Ordinal))
        {
            return true;
        }

        foreach (char c in s)
        {
            if (c != '.' && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    // proxylist_read: whitespace-separated entries, '#' starts a comment up to the end of the line.
    private static string? ReadList(DirectiveCall call, bool isInternal)
    {
        string file = call.ResolvePath(call.Args[0]);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string why = e is FileNotFoundException or DirectoryNotFoundException ? "No such file or directory" : e is UnauthorizedAccessException ? "Permission denied" : e.Message;
            return call.Directive.Name + ": Could not open file " + file + ": " + why;
        }

        for (int i = 0; i < lines.Length; i++)
        {
            string[] words = lines[i].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            foreach (string w in words)
            {
                if (w.StartsWith('#'))
                {
                    break;
                }

                string? error = AddProxy(call, w, isInternal);
                if (error is not null)
                {
                    return error + " at line " + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + " of " + file;
                }
            }
        }

        return null;
    }

    // remoteip_disable_networks
    private static string? Exceptions(DirectiveCall call)
    {
        if (call.Args.Count == 0)
        {
            return call.Directive.Name + " requires an argument";
        }

        RemoteIpServerConfig conf = call.GetServerRecord<RemoteIpServerConfig>();
        foreach (string a in call.Args)
        {
            IpRange? range = IpRange.TryParse(a);
            if (range is null)
            {
                int slash = a.IndexOf('/', StringComparison.Ordinal);
                return "ip address '" + (slash < 0 ? a : a[..slash]) + "' appears to be invalid";
            }

            conf.ProxyProtocolExceptions.Add(range);
        }

        return null;
    }
}
