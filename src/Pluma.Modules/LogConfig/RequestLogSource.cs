using System.Collections.Generic;
using System.Runtime.InteropServices;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.LogConfig;

/// <summary><see cref="ILogSource"/> over a finished <see cref="RequestRecord"/>; one per thread, re-pointed per request.</summary>
public sealed partial class RequestLogSource : ILogSource
{
    private static readonly int s_pid = System.Environment.ProcessId;

    [ThreadStatic]
    private static ulong t_tid;

    private RequestRecord _r = null!;
    private RequestRecord _original = null!;

    public void Reset(RequestRecord r)
    {
        _r = r;
        RequestRecord o = r;
        while (o.Previous is not null)
        {
            o = o.Previous;
        }

        _original = o;
    }

    public string RemoteIp => Ip(_r.Request.RemoteEndPoint.Address);

    public string PeerIp => Ip(_r.Request.PeerEndPoint.Address);

    public int RemotePort => _r.Request.RemoteEndPoint.Port;

    public string LocalIp => Ip(_r.Request.LocalEndPoint.Address);

    public int LocalPort => _r.Request.LocalEndPoint.Port;

    public string? User => _original.User ?? _r.User;

    public DateTimeOffset RequestTime
    {
        get
        {
            DateTime start = _r.Http.StartTime;
            if (start.Kind == DateTimeKind.Unspecified)
            {
                start = DateTime.SpecifyKind(start, DateTimeKind.Utc);
            }

            return new DateTimeOffset(start.ToUniversalTime()).ToLocalTime();
        }
    }

    public ReadOnlySpan<byte> RequestLine => _r.Request.RequestLineBytes;

    public int OriginalStatus => _original.OriginalStatus ?? _r.OriginalStatus ?? _r.Response.StatusCode;

    public int FinalStatus => _r.Response.StatusCode;

    public long BodyBytes => _r.Response.BodyBytesSent;

    public long BytesOut => _r.Response.BytesSent;

    // Pluma.Http does not count received bytes yet (mod_logio's %I).
    public long BytesIn => 0;

    public TimeSpan Duration => _r.Http.Duration;

    public string ServerName => _r.Server.ServerName;

    // %p: the server's port (Apache's s->port), the scheme's default for a ServerName without one.
    public int ServerPort => _r.Server.NamedPort == 0 ? (_r.Http.Connection.IsSecure ? 443 : 80) : _r.Server.Port;

    public string RequestHostName => _r.Request.Host ?? _r.Server.ServerName;

    public string UriPath => _r.Uri;

    public string OriginalUriPath => _original.Uri;

    public string? Query => _r.Args ?? _r.Request.QueryString;

    public string Protocol => _r.Request.Protocol;

    public string Method => _r.Request.Method;

    public string? Filename => _r.Filename;

    public string? Handler => _original.Handler;

    public char ConnectionStatus => _r.Http.KeepAlive ? '+' : '-';

    // Pluma.Http does not expose the connection's request count yet (%k).
    public int KeepAlives => 0;

    public int ProcessId => s_pid;

    public ulong ThreadId => t_tid != 0 ? t_tid : t_tid = (ulong)PthreadSelf();

    public string? RequestHeader(string name) => _r.Request.Headers[name];

    public string? ResponseHeader(string name) =>
        name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) ? _r.Response.ContentType ?? _r.Response.Headers[name] : _r.Response.Headers[name];

    public string? Environment(string name) => _r.Environment.GetValueOrDefault(name);

    public string? Note(string name) => _r.Notes.GetValueOrDefault(name);

    public string? ModuleItem(char letter, string argument) => ModuleLogItems.Find(letter)?.Handler(_r, argument);

    private static string Ip(System.Net.IPAddress a) => (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).ToString();

    [LibraryImport("libc", EntryPoint = "pthread_self")]
    private static partial nuint PthreadSelf();
}
