namespace Pluma.Modules.Deflate;

/// <summary>
/// Whether a request's Accept-Encoding lets mod_deflate send gzip, as Debian's apache2 2.4.71
/// decides (deflate_out_filter): the first list element whose coding is "gzip" (any case; never
/// "x-gzip" or "*") counts, and only its first parameter is looked at: "q=0", "q=0." or "q=0.000"
/// (lower-case q) refuses it; any other q value, "Q=0", or a q after another parameter accepts.
/// </summary>
public static class AcceptEncoding
{
    public static bool AllowsGzip(ReadOnlySpan<char> value)
    {
        while (!value.IsEmpty)
        {
            int comma = value.IndexOf(',');
            ReadOnlySpan<char> element = comma < 0 ? value : value[..comma];
            value = comma < 0 ? ReadOnlySpan<char>.Empty : value[(comma + 1)..];
            int semi = element.IndexOf(';');
            ReadOnlySpan<char> coding = (semi < 0 ? element : element[..semi]).Trim(" \t");
            if (!coding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (semi < 0)
            {
                return true;
            }

            ReadOnlySpan<char> first = element[(semi + 1)..];
            int next = first.IndexOf(';');
            if (next >= 0)
            {
                first = first[..next];
            }

            return !IsQZero(first.Trim(" \t"));
        }

        return false;
    }

    /// <summary>"q=0" optionally followed by '.' and zeros.</summary>
    private static bool IsQZero(ReadOnlySpan<char> parameter)
    {
        if (!parameter.StartsWith("q=0", StringComparison.Ordinal))
        {
            return false;
        }

        ReadOnlySpan<char> rest = parameter[3..];
        if (rest.IsEmpty)
        {
            return true;
        }

        return rest[0] == '.' && !rest[1..].ContainsAnyExcept('0');
    }
}
