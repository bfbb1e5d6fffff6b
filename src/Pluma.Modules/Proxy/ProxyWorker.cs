using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace Pluma.Modules.Proxy;

/// <summary>
/// One backend as mod_proxy knows it (proxy_worker): its URL, its parameters (ProxyPass
/// key=value) and this child's pool of idle keep-alive connections to it. Workers are made
/// once per configuration reading, so each child has pools of its own, as in Apache.
/// </summary>
public sealed class ProxyWorker
{
    private readonly Stack<BackendConnection> _idle = new();

    public ProxyWorker(string name, string scheme, string host, int port, string? socketPath)
    {
        Name = name;
        Scheme = scheme;
        Host = host;
        Port = port;
        SocketPath = socketPath;
    }

    /// <summary>The worker's URL as written, without its "unix:...|" prefix (e.g. http://127.0.0.1:8080/app).</summary>
    public string Name { get; }

    public string Scheme { get; }

    /// <summary>The host name as written in the URL (the Host field of the backend request).</summary>
    public string Host { get; }

    public int Port { get; }

    /// <summary>A unix socket path ("unix:/path|fcgi://..."), or null for TCP.</summary>
    public string? SocketPath { get; }

    /// <summary>timeout=: the read/write timeout; null means ProxyTimeout, then Timeout.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>connectiontimeout=: null means the read timeout.</summary>
    public TimeSpan? ConnectTimeout { get; set; }

    /// <summary>retry= (seconds, default 60): how long a worker in error state is skipped (balancer members).</summary>
    public int RetrySeconds { get; set; } = 60;

    /// <summary>disablereuse=On: every request gets a fresh connection.</summary>
    public bool DisableReuse { get; set; }

    /// <summary>Whether disablereuse= or enablereuse= was written (proxy_fcgi reuses connections only when asked).</summary>
    public bool DisableReuseSet { get; set; }

    /// <summary>max=: idle connections kept per child (Apache's hard maximum, here the pool's bound).</summary>
    public int MaxIdle { get; set; } = 64;

    /// <summary>ttl= (seconds): an idle connection older than this is closed instead of reused; 0 for none.</summary>
    public int TtlSeconds { get; set; }

    /// <summary>Host and port as Apache's log lines name them ("127.0.0.1:8080").</summary>
    public string Authority => SocketPath is null ? Host + ":" + Port.ToString(System.Globalization.CultureInfo.InvariantCulture) : "httpd-UDS:0";

    /// <summary>The Host field value for the backend: the port only when not the scheme's default.</summary>
    public string HostField => Port == DefaultPort(Scheme) ? Host : Authority;

    /// <summary>An idle connection that still looks open, or null (then the caller connects).</summary>
    public BackendConnection? TakeIdle()
    {
        while (true)
        {
            BackendConnection? c;
            lock (_idle)
            {
                if (!_idle.TryPop(out c))
                {
                    return null;
                }
            }

            if (c.IsReusable(TtlSeconds))
            {
                return c;
            }

            c.Dispose();
        }
    }

    /// <summary>Gives a connection back after a complete exchange (Apache's ap_proxy_release_connection).</summary>
    public void Release(BackendConnection c)
    {
        if (DisableReuse || !c.CanReuse)
        {
            c.Dispose();
            return;
        }

        c.MarkIdle();
        lock (_idle)
        {
            if (_idle.Count < MaxIdle)
            {
                _idle.Push(c);
                return;
            }
        }

        c.Dispose();
    }

    /// <summary>The endpoint to connect to.</summary>
    public EndPoint EndPoint => SocketPath is not null ? new UnixDomainSocketEndPoint(SocketPath) : ResolveHost();

    private EndPoint ResolveHost()
    {
        if (System.Net.IPAddress.TryParse(Host.Trim('[', ']'), out System.Net.IPAddress? ip))
        {
            return new System.Net.IPEndPoint(ip, Port);
        }

        return new System.Net.DnsEndPoint(Host, Port);
    }

    public static int DefaultPort(string scheme) => scheme switch
    {
        "http" or "ws" => 80,
        "https" or "wss" => 443,
        "fcgi" => 8000,
        "ajp" => 8009,
        _ => 0,
    };

    public override string ToString() => Name;
}
