using System.Text;

namespace Pluma.Http.Protocol;

/// <summary>
/// Field names a chunked request must not carry in its trailer section. RFC 9110 6.5.1: fields
/// that frame or route the message, control the connection, authenticate the client or describe
/// the content must be known before the content, and a sender MUST NOT put them in trailers.
/// Pluma never merges trailers into the request (neither does Apache's default
/// MergeTrailers off), but a front end that does would see a second Content-Length or Host:
/// such a request is refused (400), where Apache 2.4.71 drops the fields and answers.
/// </summary>
internal static class TrailerFields
{
    private static readonly string[] s_forbidden =
    [
        "Content-Length", "Transfer-Encoding", "Trailer",                   // framing (RFC 9112 6)
        "Host",                                                            // routing (RFC 9110 7.2)
        "Connection", "Keep-Alive", "Upgrade", "TE", "Proxy-Connection",   // connection control (RFC 9110 7.6)
        "Expect",                                                          // request control (RFC 9110 10.1.1)
        "Authorization", "Proxy-Authorization",                            // authentication (RFC 9110 11)
        "Content-Type", "Content-Encoding", "Content-Range",               // content format (RFC 9110 8)
    ];

    public static bool IsForbidden(ReadOnlySpan<byte> name)
    {
        foreach (string forbidden in s_forbidden)
        {
            if (name.Length == forbidden.Length && Ascii.EqualsIgnoreCase(name, forbidden))
            {
                return true;
            }
        }

        return false;
    }
}
