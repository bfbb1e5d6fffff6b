using System.Collections.Generic;
using Pluma.Modules.LogConfig;

namespace Pluma.Modules.Tests.LogConfig;

public sealed class FakeLogSource : ILogSource
{
    public string RemoteIp { get; set; } = "127.0.0.1";
    public int RemotePort { get; set; } = 51234;
    public string LocalIp { get; set; } = "127.0.0.1";
    public int LocalPort { get; set; } = 8080;
    public string? User { get; set; }
    public DateTimeOffset RequestTime { get; set; } = new(2026, 11, 28, 14, 41, 11, TimeSpan.Zero);
    /// <summary>The request line's bytes: the text in UTF-8 (what a client sending UTF-8 puts on the wire).</summary>
    public string RequestLineText { get; set; } = "GET /index.html HTTP/1.1";
    public ReadOnlySpan<byte> RequestLine => System.Text.Encoding.UTF8.GetBytes(RequestLineText);
    public int OriginalStatus { get; set; } = 200;
    public int FinalStatus { get; set; } = 200;
    public long BodyBytes { get; set; } = 10701;
    public long BytesOut { get; set; } = 10979;
    public long BytesIn { get; set; } = 120;
    public TimeSpan Duration { get; set; } = TimeSpan.FromMicroseconds(1534);
    public string ServerName { get; set; } = "www.example.com";
    public int ServerPort { get; set; } = 80;
    public string RequestHostName { get; set; } = "localhost";
    public string UriPath { get; set; } = "/index.html";
    public string OriginalUriPath { get; set; } = "/";
    public string? Query { get; set; }
    public string Protocol { get; set; } = "HTTP/1.1";
    public string Method { get; set; } = "GET";
    public string? Filename { get; set; } = "/var/www/html/index.html";
    public string? Handler { get; set; }
    public char ConnectionStatus { get; set; } = '+';
    public int KeepAlives { get; set; }
    public int ProcessId { get; set; } = 4242;
    public ulong ThreadId { get; set; } = 139872;
    public Dictionary<string, string> In { get; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, string> Out { get; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, string> Env { get; } = [];

    public string? RequestHeader(string name) => In.GetValueOrDefault(name);
    public string? ResponseHeader(string name) => Out.GetValueOrDefault(name);
    public string? Environment(string name) => Env.GetValueOrDefault(name);
    public string? Note(string name) => null;
}
