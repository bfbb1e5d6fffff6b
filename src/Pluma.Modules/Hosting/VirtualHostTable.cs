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
    private readonly IReadOnlyList<VirtualServer> _hosts;

    public VirtualHostTable(VirtualServer main, IReadOnlyList<VirtualServer> hosts)
    {
        _main = main;
        _hosts = hosts;
    }

    public VirtualServer Select(IPEndPoint local, string? host)
    {
        VirtualServer? firstExact = null, firstWildcard = null;
        bool exactSeen = false;
        // Pass 1: does any vhost name this exact address? Then only those are candidates.
        foreach (VirtualServer s in _hosts)
        {
            foreach (VirtualHostAddress a in s.Addresses)
            {
                if (!a.IsWildcard && a.Matches(local))
                {
                    exactSeen = true;
                    break;
                }
            }
        }

        foreach (VirtualServer s in _hosts)
        {
            bool match = false;
            foreach (VirtualHostAddress a in s.Addresses)
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
                return s;
            }
        }

        return firstExact ?? firstWildcard ?? _main;
    }
}
