using Pluma.Http;

namespace Pluma.Modules.Negotiation;

/// <summary>
/// The fields a negotiation adds to its response (Apache puts them in r->err_headers_out, so
/// a 300, 406 or later error keeps them): Content-Location, Alternates, Vary and TCN.
/// </summary>
internal sealed class NegotiatedHeaders
{
    public string? ContentLocation { get; set; }

    public string? Alternates { get; set; }

    public string? Vary { get; set; }

    public string? Tcn { get; set; }

    /// <summary>Adds them to <paramref name="headers"/>; Vary and Alternates merge with what is there (Vary without repeating a token).</summary>
    public void ApplyTo(HttpResponseHeaders headers)
    {
        if (ContentLocation is not null)
        {
            headers.Set("Content-Location", ContentLocation);
        }

        if (Alternates is not null)
        {
            string? old = headers["Alternates"];
            headers.Set("Alternates", old is null ? Alternates : old + ", " + Alternates);
        }

        if (Vary is not null)
        {
            headers.Set("Vary", MergeVary(headers["Vary"], Vary));
        }

        if (Tcn is not null)
        {
            headers.Set("TCN", Tcn);
        }
    }

    /// <summary>Apache's header filter (fixup_vary): each token once, case-insensitively, joined by ','.</summary>
    internal static string MergeVary(string? existing, string added)
    {
        if (string.IsNullOrEmpty(existing))
        {
            return added;
        }

        var tokens = new System.Collections.Generic.List<string>();
        foreach (string t in (existing + "," + added).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!tokens.Exists(x => x.Equals(t, StringComparison.OrdinalIgnoreCase)))
            {
                tokens.Add(t);
            }
        }

        return string.Join(',', tokens);
    }
}
