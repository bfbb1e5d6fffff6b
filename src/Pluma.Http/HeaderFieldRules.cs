using System.Buffers;

namespace Pluma.Http;

/// <summary>
/// What may go into a response header field (RFC 9110 5.1 and 5.5): a name is a token, a value
/// holds no control character other than HTAB. Apache's check_header (http_filters.c) applies
/// the same rules with ap_scan_http_token and ap_scan_http_field_content. Vectorized searches,
/// no allocation: every response head is checked.
/// </summary>
public static class HeaderFieldRules
{
    // tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    private static readonly SearchValues<byte> s_tchar =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    // CTL except HTAB: NUL..BS, LF..US, DEL (RFC 5234 B.1). CR and LF are the ones that split.
    private static readonly SearchValues<byte> s_controlBytes = SearchValues.Create(
    [
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
        0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0x7F,
    ]);

    private static readonly SearchValues<char> s_controlChars = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000A\u000B\u000C\u000D\u000E\u000F"
        + "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F");

    /// <summary>Whether <paramref name="name"/> is a non-empty token.</summary>
    public static bool IsToken(ReadOnlySpan<byte> name) => !name.IsEmpty && name.IndexOfAnyExcept(s_tchar) < 0;

    /// <summary>Whether <paramref name="value"/> (the bytes that go out) holds no control character but HTAB.</summary>
    public static bool IsFieldContent(ReadOnlySpan<byte> value) => value.IndexOfAny(s_controlBytes) < 0;

    /// <summary>Whether <paramref name="value"/> holds no control character but HTAB.</summary>
    public static bool IsFieldContent(ReadOnlySpan<char> value) => value.IndexOfAny(s_controlChars) < 0;
}
