namespace Pluma.Modules.Proxy;

/// <summary>Where one proxied request goes: its worker and the path and query the backend sees.</summary>
public sealed record ProxyTarget(ProxyWorker Worker, string Url, string Path, string? Query)
{
    /// <summary>The request target for the backend's request line.</summary>
    public string PathAndQuery => Query is null ? Path : Path + "?" + Query;
}
