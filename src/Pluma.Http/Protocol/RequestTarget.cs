namespace Pluma.Http.Protocol;

/// <summary>
/// Where the path, the query and (absolute-form) the authority of a request-target lie, as
/// absolute offsets into the head's buffer (no strings).
/// </summary>
internal struct RequestTarget
{
    public int PathStart;
    public int PathLength;

    /// <summary>After the '?', or -1 when the target has no query.</summary>
    public int QueryStart;
    public int QueryLength;

    /// <summary>The authority of an absolute-form or authority-form target, or -1.</summary>
    public int AuthorityStart;
    public int AuthorityLength;

    /// <summary>Where the scheme of an absolute-form target lies (its length is 0 for other forms).</summary>
    public int SchemeStart;
    public int SchemeLength;

    /// <summary>No request line yet: an empty path, no query, no authority.</summary>
    public static RequestTarget None => new() { QueryStart = -1, AuthorityStart = -1 };

    /// <summary>
    /// Splits <paramref name="target"/> (already checked by the request-line parser), which
    /// starts at <paramref name="offset"/> in the buffer (RFC 9112 3.2; absolute-form 3.2.2).
    /// </summary>
    public static RequestTarget Split(ReadOnlySpan<byte> target, int offset)
    {
        RequestTarget parts = None;
        int schemeEnd = target[0] is (byte)'/' or (byte)'*' ? -1 : target.IndexOf("://"u8);
        if (schemeEnd < 0 && target[0] is not ((byte)'/' or (byte)'*'))
        {
            // authority-form (CONNECT, RFC 9112 3.2.3): the whole target names the host; no path.
            parts.AuthorityStart = offset;
            parts.AuthorityLength = target.Length;
            parts.PathStart = offset + target.Length;
            return parts;
        }

        if (schemeEnd > 0)
        {
            parts.SchemeStart = offset;
            parts.SchemeLength = schemeEnd;
            int authority = schemeEnd + 3;
            ReadOnlySpan<byte> rest = target[authority..];
            int slash = rest.IndexOfAny((byte)'/', (byte)'?');
            int authorityLength = slash < 0 ? rest.Length : slash;
            parts.AuthorityStart = offset + authority;
            parts.AuthorityLength = authorityLength;
            offset += authority + authorityLength;
            target = rest[authorityLength..];
        }

        int question = target.IndexOf((byte)'?');
        parts.PathStart = offset;
        parts.PathLength = question < 0 ? target.Length : question;
        if (question >= 0)
        {
            parts.QueryStart = offset + question + 1;
            parts.QueryLength = target.Length - question - 1;
        }

        return parts;
    }
}
