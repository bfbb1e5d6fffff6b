using System.Collections.Generic;
using System.Net;
using Pluma.Modules.Authz;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.RemoteIp;

/// <summary>
/// Where RemoteIPProxyProtocol applies (remoteip_hook_pre_connection's test): the local
/// addresses of the servers that turned it on, minus those of servers that turned it off
/// (the main server's address matches every listener), and never for a peer in
/// RemoteIPProxyProtocolExceptions.
/// </summary>
public sealed class ProxyProtocolPolicy
{
    private readonly List<VirtualHostAddress> _enabled = [];
    private readonly List<VirtualHostAddress> _disabled = [];
    private readonly List<IpRange> _exceptions = [];

    /// <summary>Whether any address has the PROXY protocol on.</summary>
    public bool IsEmpty => _enabled.Count == 0;

    /// <summary>Adds one server's setting; later servers override earlier ones for the same address.</summary>
    public void Add(IReadOnlyList<VirtualHostAddress> addresses, bool on, IEnumerable<IpRange> exceptions)
    {
        foreach (VirtualHostAddress a in addresses)
        {
            (on ? _disabled : _enabled).RemoveAll(x => Equals(x.Address, a.Address) && x.Port == a.Port);
            List<VirtualHostAddress> add = on ? _enabled : _disabled;
            if (!add.Exists(x => Equals(x.Address, a.Address) && x.Port == a.Port))
            {
                add.Add(a);
            }
        }

        _exceptions.AddRange(exceptions);
    }

    /// <summary>Adds exceptions of a server that did not set RemoteIPProxyProtocol itself.</summary>
    public void AddExceptions(IEnumerable<IpRange> exceptions) => _exceptions.AddRange(exceptions);

    public bool AppliesTo(IPEndPoint local, IPEndPoint peer)
    {
        if (!_enabled.Exists(a => a.Matches(local)) || _disabled.Exists(a => a.Matches(local)))
        {
            return false;
        }

        foreach (IpRange r in _exceptions)
        {
            if (r.Contains(peer.Address))
            {
                return false;
            }
        }

        return true;
    }
}
