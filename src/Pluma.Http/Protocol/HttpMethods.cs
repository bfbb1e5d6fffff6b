using System.Text;

namespace Pluma.Http.Protocol;

/// <summary>Method tokens to <see cref="HttpMethod"/> and back, without allocating for known ones.</summary>
internal static class HttpMethods
{
    private static readonly string[] s_names =
    [
        "", "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
        "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "VERSION-CONTROL",
        "CHECKOUT", "UNCHECKOUT", "CHECKIN", "UPDATE", "LABEL", "REPORT", "MKWORKSPACE",
        "MKACTIVITY", "BASELINE-CONTROL", "MERGE",
    ];

    private static readonly byte[][] s_bytes = Array.ConvertAll(s_names, Encoding.ASCII.GetBytes);

    public static string Name(HttpMethod method) => s_names[(int)method];

    /// <summary>Method names are case-sensitive (RFC 9110 9.1): "get" is not GET.</summary>
    public static HttpMethod Lookup(ReadOnlySpan<byte> token)
    {
        // The two hot methods first; the rest is a short linear scan.
        if (token.SequenceEqual("GET"u8))
        {
            return HttpMethod.Get;
        }

        if (token.SequenceEqual("HEAD"u8))
        {
            return HttpMethod.Head;
        }

        for (int i = 3; i < s_bytes.Length; i++)
        {
            if (token.SequenceEqual(s_bytes[i]))
            {
                return (HttpMethod)i;
            }
        }

        return HttpMethod.Unknown;
    }
}
