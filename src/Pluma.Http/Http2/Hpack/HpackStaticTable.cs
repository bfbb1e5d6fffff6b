namespace Pluma.Http.Http2.Hpack;

/// <summary>
/// The 61 entries every HPACK peer knows (RFC 7541 Appendix A), indexed from 1.
/// </summary>
internal static class HpackStaticTable
{
    public const int Count = 61;

    private static readonly byte[][] s_names =
    [
        [],
        ":authority"u8.ToArray(), ":method"u8.ToArray(), ":method"u8.ToArray(), ":path"u8.ToArray(), ":path"u8.ToArray(),
        ":scheme"u8.ToArray(), ":scheme"u8.ToArray(), ":status"u8.ToArray(), ":status"u8.ToArray(), ":status"u8.ToArray(),
        ":status"u8.ToArray(), ":status"u8.ToArray(), ":status"u8.ToArray(), ":status"u8.ToArray(), "accept-charset"u8.ToArray(),
        "accept-encoding"u8.ToArray(), "accept-language"u8.ToArray(), "accept-ranges"u8.ToArray(), "accept"u8.ToArray(),
        "access-control-allow-origin"u8.ToArray(), "age"u8.ToArray(), "allow"u8.ToArray(), "authorization"u8.ToArray(),
        "cache-control"u8.ToArray(), "content-disposition"u8.ToArray(), "content-encoding"u8.ToArray(),
        "content-language"u8.ToArray(), "content-length"u8.ToArray(), "content-location"u8.ToArray(),
        "content-range"u8.ToArray(), "content-type"u8.ToArray(), "cookie"u8.ToArray(), "date"u8.ToArray(), "etag"u8.ToArray(),
        "expect"u8.ToArray(), "expires"u8.ToArray(), "from"u8.ToArray(), "host"u8.ToArray(), "if-match"u8.ToArray(),
        "if-modified-since"u8.ToArray(), "if-none-match"u8.ToArray(), "if-range"u8.ToArray(), "if-unmodified-since"u8.ToArray(),
        "last-modified"u8.ToArray(), "link"u8.ToArray(), "location"u8.ToArray(), "max-forwards"u8.ToArray(),
        "proxy-authenticate"u8.ToArray(), "proxy-authorization"u8.ToArray(), "range"u8.ToArray(), "referer"u8.ToArray(),
        "refresh"u8.ToArray(), "retry-after"u8.ToArray(), "server"u8.ToArray(), "set-cookie"u8.ToArray(),
        "strict-transport-security"u8.ToArray(), "transfer-encoding"u8.ToArray(), "user-agent"u8.ToArray(), "vary"u8.ToArray(),
        "via"u8.ToArray(), "www-authenticate"u8.ToArray(),
    ];

    private static readonly byte[][] s_values = BuildValues();

    public static ReadOnlySpan<byte> Name(int index) => s_names[index];

    public static ReadOnlySpan<byte> Value(int index) => s_values[index];

    /// <summary>The first static index whose name is <paramref name="name"/>, or 0.</summary>
    public static int FindName(ReadOnlySpan<byte> name)
    {
        for (int i = 1; i <= Count; i++)
        {
            if (name.SequenceEqual(s_names[i]))
            {
                return i;
            }
        }

        return 0;
    }

    /// <summary>The static index holding exactly this :status, or 0 (entries 8 to 14).</summary>
    public static int FindStatus(int status) => status switch
    {
        200 => 8,
        204 => 9,
        206 => 10,
        304 => 11,
        400 => 12,
        404 => 13,
        500 => 14,
        _ => 0,
    };

    private static byte[][] BuildValues()
    {
        byte[][] values = new byte[Count + 1][];
        for (int i = 0; i <= Count; i++)
        {
            values[i] = [];
        }

        values[2] = "GET"u8.ToArray();
        values[3] = "POST"u8.ToArray();
        values[4] = "/"u8.ToArray();
        values[5] = "/index.html"u8.ToArray();
        values[6] = "http"u8.ToArray();
        values[7] = "https"u8.ToArray();
        values[8] = "200"u8.ToArray();
        values[9] = "204"u8.ToArray();
        values[10] = "206"u8.ToArray();
        values[11] = "304"u8.ToArray();
        values[12] = "400"u8.ToArray();
        values[13] = "404"u8.ToArray();
        values[14] = "500"u8.ToArray();
        values[16] = "gzip, deflate"u8.ToArray();
        return values;
    }
}
