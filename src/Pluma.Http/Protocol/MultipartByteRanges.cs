namespace Pluma.Http.Protocol;

/// <summary>
/// The boundary of multipart/byteranges responses. Apache draws one random 64-bit number per
/// configuration load (http_core.c http_post_config) and prints it in lowercase hex; every
/// multi-range response of that generation uses it.
/// </summary>
public static class MultipartByteRanges
{
    private static string s_boundary = NewBoundary();
    private static string s_contentType = "multipart/byteranges; boundary=" + s_boundary;
    private static string s_legacyContentType = "multipart/x-byteranges; boundary=" + s_boundary;

    /// <summary>The boundary in use.</summary>
    public static string Boundary => s_boundary;

    /// <summary>"multipart/byteranges; boundary=..." (made once, so responses do not allocate it).</summary>
    public static string ContentType => s_contentType;

    /// <summary>The x- variant for Request-Range clients and MSIE 3 (use_range_x).</summary>
    public static string LegacyContentType => s_legacyContentType;

    /// <summary>Draws a new boundary (a new generation), or sets <paramref name="boundary"/> (tests).</summary>
    public static void Reset(string? boundary = null)
    {
        string b = boundary ?? NewBoundary();
        s_contentType = "multipart/byteranges; boundary=" + b;
        s_legacyContentType = "multipart/x-byteranges; boundary=" + b;
        s_boundary = b;
    }

    private static string NewBoundary()
    {
        Span<byte> random = stackalloc byte[8];
        System.Security.Cryptography.RandomNumberGenerator.Fill(random);
        return BitConverter.ToUInt64(random).ToString("x", System.Globalization.CultureInfo.InvariantCulture);
    }
}
