using System.Collections.Generic;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Negotiation;

/// <summary>
/// What one negotiation knows (mod_negotiation.c's negotiation_state): the client's Accept*
/// fields, the variants found, the directory configuration, and the TCN flags the Negotiate
/// field sets.
/// </summary>
public sealed class NegotiationState
{
    /// <summary>mod_mime's magic type for a file with a handler and no type: preferred for POST, query strings and path info.</summary>
    public const string CgiMagicType = "application/x-httpd-cgi";

    public List<AcceptItem>? Accepts { get; set; }

    public List<AcceptItem>? AcceptEncodings { get; set; }

    public List<AcceptItem>? AcceptLanguages { get; set; }

    public List<AcceptItem>? AcceptCharsets { get; set; }

    /// <summary>Whether an Accept item carries q below 1 (then wildcards are not pushed down).</summary>
    public bool AcceptQ { get; set; }

    /// <summary>The language quality of a variant without a language (0.0001 once any variant has one).</summary>
    public float DefaultLanguageQuality { get; set; }

    public List<Variant> Variants { get; } = [];

    /// <summary>How many variants came from the directory (0 for a type map).</summary>
    public int CountMultiViewsVariants { get; set; }

    /// <summary>The directory variants' file names are relative to (with a trailing '/').</summary>
    public string DirectoryName { get; set; } = string.Empty;

    public IReadOnlyList<string>? LanguagePriority { get; set; }

    public ForceLanguagePriority ForcePriority { get; set; }

    public bool IsTransparent { get; set; }

    public bool DontFiddleHeaders { get; set; }

    public bool UaSupportsTrans { get; set; }

    public bool SendAlternates { get; set; }

    public bool MayChoose { get; set; } = true;

    public bool UseRvsa { get; set; }

    /// <summary>An HTTP/1.0 client may not cache the answer (r->no_cache: Expires now on a type map's Body: response).</summary>
    public bool NoCache { get; set; }

    /// <summary>The variant list validator (an entity tag of the directory or the type map), joined to the chosen file's ETag.</summary>
    public string? VariantListValidator { get; set; }

    /// <summary>The prefer-language environment variable.</summary>
    public string? PreferredLanguage { get; set; }

    /// <summary>The no-gzip environment variable: encoded variants are left out.</summary>
    public bool NoGzip { get; set; }

    /// <summary>gzip-only-text/html=1: encoded variants other than text/html are left out.</summary>
    public bool GzipOnlyTextHtml { get; set; }

    /// <summary>parse_accept_headers: the four fields as the request sent them.</summary>
    public static NegotiationState FromHeaders(string? accept, string? acceptEncoding, string? acceptLanguage, string? acceptCharset, NegotiationDirConfig? conf)
    {
        var s = new NegotiationState
        {
            Accepts = AcceptParser.ParseField(accept),
            AcceptEncodings = AcceptParser.ParseField(acceptEncoding),
            AcceptLanguages = AcceptParser.ParseField(acceptLanguage),
            AcceptCharsets = AcceptParser.ParseField(acceptCharset),
            LanguagePriority = conf?.LanguagePriority,
            ForcePriority = conf?.ForceLanguagePriority ?? ForceLanguagePriority.Undefined,
        };
        if (s.Accepts is { } accepts)
        {
            foreach (AcceptItem a in accepts)
            {
                if (a.Quality < 1.0f)
                {
                    s.AcceptQ = true;
                }
            }
        }

        return s;
    }

    /// <summary>The state for <paramref name="r"/>: its Accept* fields, its environment's no-gzip and prefer-language.</summary>
    internal static NegotiationState For(RequestRecord r, NegotiationDirConfig? conf)
    {
        var headers = r.Request.Headers;
        NegotiationState s = FromHeaders(headers["Accept"], headers["Accept-Encoding"], headers["Accept-Language"], headers["Accept-Charset"], conf);
        if (r.HasEnvironment)
        {
            s.PreferredLanguage = r.Environment.GetValueOrDefault("prefer-language");
            s.NoGzip = r.Environment.ContainsKey("no-gzip");
            s.GzipOnlyTextHtml = r.Environment.GetValueOrDefault("gzip-only-text/html") == "1";
        }

        return s;
    }

    /// <summary>
    /// parse_negotiate_header: no Negotiate field means server-driven choice without Alternates;
    /// "trans", "vlist", "guess-small", a version or "*" mean a TCN client (list responses
    /// become 300); "1.0" selects RVSA/1.0, "*" Apache's algorithm, both without header fiddles.
    /// Lynx's bare "trans" is ignored.
    /// </summary>
    public void ParseNegotiateHeader(string? negotiate, string? userAgent)
    {
        UaSupportsTrans = false;
        SendAlternates = false;
        MayChoose = true;
        UseRvsa = false;
        DontFiddleHeaders = false;
        if (negotiate is null)
        {
            return;
        }

        if (negotiate == "trans" && userAgent is not null && userAgent.StartsWith("Lynx", StringComparison.Ordinal))
        {
            return;
        }

        MayChoose = false;
        foreach (string raw in negotiate.Split(','))
        {
            string tok = raw.Trim(' ', '\t').ToLowerInvariant();
            if (tok.Length == 0)
            {
                continue;
            }

            if (tok is "trans" or "vlist" or "guess-small" or "*" || char.IsAsciiDigit(tok[0]))
            {
                UaSupportsTrans = true;
                SendAlternates = true;
                if (tok == "1.0")
                {
                    MayChoose = true;
                    UseRvsa = true;
                    DontFiddleHeaders = true;
                }
                else if (tok[0] == '*')
                {
                    MayChoose = true;
                    DontFiddleHeaders = true;
                }
            }
        }
    }

    /// <summary>maybe_add_default_accepts: */* when no Accept came, and the CGI magic type (strongly preferred when <paramref name="preferScripts"/>).</summary>
    public void AddDefaultAccepts(bool preferScripts)
    {
        if (Accepts is null)
        {
            Accepts = [new AcceptItem("*/*", 1.0f, 0.0f, string.Empty)];
        }

        Accepts.Add(new AcceptItem(CgiMagicType, UseRvsa ? 0 : (preferScripts ? 2.0f : 0.001f), 0.0f, string.Empty));
    }
}
