using Pluma.Modules.Hosting;

namespace Pluma.Modules.Negotiation;

/// <summary>
/// fix_encoding (a fixup): clients disagree on "gzip" versus "x-gzip"; when the response has a
/// Content-Encoding and Accept-Encoding names it, the client's spelling is used.
/// </summary>
internal static class EncodingFixup
{
    public static int Run(RequestRecord r)
    {
        string? enc = r.ContentEncoding;
        if (string.IsNullOrEmpty(enc) || r.Request.Headers["Accept-Encoding"] is not { } field)
        {
            return HookResult.Declined;
        }

        string plain = enc.StartsWith("x-", StringComparison.Ordinal) ? enc[2..] : enc;
        string? prefixed = null;
        foreach (AcceptItem a in AcceptParser.ParseField(field)!)
        {
            if (a.Name == plain)
            {
                r.ContentEncoding = a.Name;
                return HookResult.Ok;
            }

            if (a.Name.StartsWith("x-", StringComparison.Ordinal) && a.Name.AsSpan(2).SequenceEqual(plain))
            {
                prefixed = a.Name;
            }
        }

        if (prefixed is null)
        {
            return HookResult.Declined;
        }

        r.ContentEncoding = prefixed;
        return HookResult.Ok;
    }
}
