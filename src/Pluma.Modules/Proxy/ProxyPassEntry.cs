using System.Text.RegularExpressions;

namespace Pluma.Modules.Proxy;

/// <summary>
/// One ProxyPass or ProxyPassMatch (proxy_alias): the local path or pattern, the backend URL or
/// null for "!" (an exclusion), and its worker.
/// </summary>
public sealed class ProxyPassEntry
{
    public ProxyPassEntry(string path, string? url, Regex? regex, ProxyWorker? worker)
    {
        Path = path;
        Url = url;
        Regex = regex;
        Worker = worker;
    }

    public string Path { get; }

    /// <summary>The backend URL, or null for an exclusion ("ProxyPass /x !").</summary>
    public string? Url { get; }

    public Regex? Regex { get; }

    public ProxyWorker? Worker { get; }

    /// <summary>nocanon: the raw request path goes to the backend undecoded.</summary>
    public bool NoCanon { get; init; }

    /// <summary>noquery: the query string is not passed on.</summary>
    public bool NoQuery { get; init; }
}
