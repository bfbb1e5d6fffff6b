using System.Collections.Generic;
using System.Net;

namespace Pluma.Modules.Hosting;

/// <summary>
/// Chooses the server for a request as Apache's vhost.c does: first the virtual hosts whose
/// address matches the connection's local address and port (an exact address beats <c>*</c>),
/// then among those the first whose ServerName or ServerAlias matches the Host header; with no
/// name match the first of them is the default. No address match: the main server.
/// </summary>
public sealed class VirtualHostTable
{
    private readonly VirtualServer _main;

    // Arrays, walked by index: a foreach over IReadOnlyList boxes an enumerator per request.
    private readonly VirtualServer[] _hosts;
    private readonly VirtualHostAddress[][] _addresses;

    public VirtualHostTable(VirtualServer main, IReadOnlyList<VirtualServer> hosts)
    {
        _main = main;
        _hosts = [.. hosts];
        _addresses = new VirtualHostAddress[_hosts.Length][];
        for (int i = 0; i < _hosts.Length; i++)
        {
            _addresses[i] = [.. _hosts[i].Addresses];
        }
    }

    public VirtualServer Select(IPEndPoint local, string? host) => Select(local, host, out _);

    /// <summary>
    /// As <see cref="Select(IPEndPoint, string?)"/>; <paramref name="nameMatched"/> says whether a
    /// ServerName or ServerAlias of a virtual host for the address answered to <paramref name="host"/>
    /// (false with no virtual hosts at all, where StrictHostCheck has nothing to check).
    /// </summary>
    public VirtualServer Select(IPEndPoint local, string? host, out bool nameMatched)
    {
        nameMatched = false;
        if (_hosts.Length == 0)
        {
            nameMatched = true;
            return _main;
        }

        VirtualServer? firstExact = null, firstWildcard = null;
        bool exactSeen = false;
        // Pass 1: does any vhost name this exact address? Then only those are candidates.
        foreach (VirtualHostAddress[] addresses in _addresses)
        {
            foreach (VirtualHostAddress a in addresses)
            {
                if (!a.IsWildcard && a.Matches(local))
                {
                    exactSeen = true;
                    break;
                }
            }
        }

        for (int i = 0; i < _hosts.Length; i++)
        {
            VirtualServer s = _hosts[i];
            bool match = false;
            foreach (VirtualHostAddress a in _addresses[i])
            {
                if (a.Matches(local) && a.IsWildcard != exactSeen)
                {
                    match = true;
                    break;
                }
            }

            if (!match)
            {
                continue;
            }

            if (exactSeen)
            {
                firstExact ??= s;
            }
            else
            {
                firstWildcard ??= s;
            }

            if (host is not null && s.AnswersTo(host))
            {
                nameMatched = true;
                return s;
            }
        }

        return firstExact ?? firstWildcard ?? _main;
    }
}
