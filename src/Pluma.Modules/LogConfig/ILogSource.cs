namespace Pluma.Modules.LogConfig;

/// <summary>
/// Everything a log line can print about one finished request. The module implements it over a
/// RequestRecord; tests implement it with fixed values, so rendering is a pure function.
/// Strings are raw (unescaped); null means "not available" and prints as "-".
/// </summary>
public interface ILogSource
{
    string RemoteIp { get; }

    /// <summary>The connection's peer (%{c}a): differs from <see cref="RemoteIp"/> behind mod_remoteip.</summary>
    string PeerIp => RemoteIp;

    int RemotePort { get; }

    string LocalIp { get; }

    int LocalPort { get; }

    string? User { get; }

    /// <summary>When the request started (Apache's request_time), with the local offset.</summary>
    DateTimeOffset RequestTime { get; }

    /// <summary>The request line as the client sent it (%r escapes these bytes, as Apache escapes r->the_request).</summary>
    ReadOnlySpan<byte> RequestLine { get; }

    int OriginalStatus { get; }

    int FinalStatus { get; }

    long BodyBytes { get; }

    long BytesOut { get; }

    long BytesIn { get; }

    TimeSpan Duration { get; }

    string ServerName { get; }

    int ServerPort { get; }

    string RequestHostName { get; }

    /// <summary>The final request's URI path (%&gt;U).</summary>
    string UriPath { get; }

    /// <summary>The original request's URI path before internal redirects (%U).</summary>
    string OriginalUriPath { get; }

    string? Query { get; }

    string Protocol { get; }

    string Method { get; }

    string? Filename { get; }

    string? Handler { get; }

    /// <summary>'X' aborted, '+' keep-alive, '-' close.</summary>
    char ConnectionStatus { get; }

    int KeepAlives { get; }

    int ProcessId { get; }

    /// <summary>pthread_self() of the serving thread, as %{tid}P prints it.</summary>
    ulong ThreadId { get; }

    string? RequestHeader(string name);

    string? ResponseHeader(string name);

    string? Environment(string name);

    string? Note(string name);

    /// <summary>What a module's registered letter prints (<see cref="ModuleLogItems"/>), null for "-".</summary>
    string? ModuleItem(char letter, string argument) => null;
}
