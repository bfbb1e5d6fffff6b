using Pluma.Modules.Common;

namespace Pluma.Modules.Dir;

/// <summary>The Location of DirectorySlash's 301: the escaped URI plus "/" and the query, made absolute from the request's Host.</summary>
public static class DirectorySlashRedirect
{
    public static string Location(string uri, string? query, string host, int port, bool secure = false)
    {
        string path = SelfUrl.EscapePath(uri) + "/" + (query is null ? string.Empty : "?" + query);
        return SelfUrl.Construct(host, port, path, secure);
    }
}
