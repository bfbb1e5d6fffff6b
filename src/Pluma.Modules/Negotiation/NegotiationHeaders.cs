using System.Globalization;
using System.Text;

namespace Pluma.Modules.Negotiation;

/// <summary>
/// What a negotiated response says about its variants (mod_negotiation.c set_neg_headers and
/// make_variant_list): Vary names each dimension in which the variants differ, Alternates
/// lists them for TCN clients and on list responses, TCN says choice or list, and the 300/406
/// page carries the HTML list.
/// </summary>
public static class NegotiationHeaders
{
    /// <summary>
    /// The Vary value as Apache's header filter sends it (tokens joined by ','), or null when the
    /// variants do not differ and the resource is not transparently negotiated.
    /// </summary>
    public static string? Vary(NegotiationState neg)
    {
        bool byType = false, byLanguage = false, byCharset = false, byEncoding = false;
        Variant? sample = null;
        string? sampleLanguage = null;
        foreach (Variant v in neg.Variants)
        {
            string? lang = v.LanguageList;
            if (sample is null)
            {
                sample = v;
                sampleLanguage = lang;
                continue;
            }

            byType |= sample.MimeType != v.MimeType;
            byCharset |= sample.ContentCharset != v.ContentCharset;
            byLanguage |= (sampleLanguage ?? string.Empty) != (lang ?? string.Empty);
            byEncoding |= (sample.ContentEncoding ?? string.Empty) != (v.ContentEncoding ?? string.Empty);
        }

        if (!(neg.IsTransparent || byType || byLanguage || byCharset || byEncoding))
        {
            return null;
        }

        var vary = new StringBuilder();
        Add(vary, neg.IsTransparent, "negotiate");
        Add(vary, byType, "accept");
        Add(vary, byLanguage, "accept-language");
        Add(vary, byCharset, "accept-charset");
        Add(vary, byEncoding, "accept-encoding");
        return vary.ToString();
    }

    /// <summary>The Alternates value (RFC 2295): one {"file" qs {type ..} {charset ..} {language ..} {encoding ..} {length ..}} per variant.</summary>
    public static string? Alternates(NegotiationState neg)
    {
        if (neg.Variants.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (Variant v in neg.Variants)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }

            text.Append("{\"").Append(PathSegment.Escape(v.FileName)).Append("\" ").Append(SourceQuality(v.SourceQuality));
            if (v.MimeType.Length > 0)
            {
                text.Append(" {type ").Append(v.MimeType).Append('}');
            }

            if (v.ContentCharset.Length > 0)
            {
                text.Append(" {charset ").Append(v.ContentCharset).Append('}');
            }

            if (v.LanguageList is { } lang)
            {
                text.Append(" {language ").Append(lang).Append('}');
            }

            if (!string.IsNullOrEmpty(v.ContentEncoding))
            {
                text.Append(" {encoding ").Append(v.ContentEncoding).Append('}');
            }

            // A script's length says nothing about its output: none for a variant with a handler.
            if (v.SubRequest?.Handler is null && VariantSelection.ContentLength(neg, v) is >= 0 and long length)
            {
                text.Append(" {length ").Append(length.ToString(CultureInfo.InvariantCulture)).Append('}');
            }

            text.Append('}');
        }

        return text.ToString();
    }

    /// <summary>make_variant_list: the "Available variants" HTML of 300 and 406 pages.</summary>
    public static string VariantList(NegotiationState neg)
    {
        var text = new StringBuilder("Available variants:\n<ul>\n");
        foreach (Variant v in neg.Variants)
        {
            text.Append("<li><a href=\"").Append(v.FileName).Append("\">").Append(v.FileName).Append("</a> ").Append(v.Description);
            if (v.MimeType.Length > 0)
            {
                text.Append(", type ").Append(v.MimeType);
            }

            if (v.LanguageList is { } lang)
            {
                text.Append(", language ").Append(lang);
            }

            if (v.ContentCharset.Length > 0)
            {
                text.Append(", charset ").Append(v.ContentCharset);
            }

            if (v.ContentEncoding is not null)
            {
                text.Append(", encoding ").Append(v.ContentEncoding);
            }

            text.Append("</li>\n");
        }

        return text.Append("</ul>\n").ToString();
    }

    /// <summary>"%1.3f" with trailing zeros dropped: 1, 0.5, 0.25, 0.125.</summary>
    internal static string SourceQuality(float q)
    {
        string s = q.ToString("0.000", CultureInfo.InvariantCulture);
        if (s.Length == 5 && s[4] == '0')
        {
            s = s[..4];
            if (s[3] == '0')
            {
                s = s[..3];
                if (s[2] == '0')
                {
                    s = s[..1];
                }
            }
        }

        return s;
    }

    private static void Add(StringBuilder vary, bool on, string token)
    {
        if (on)
        {
            if (vary.Length > 0)
            {
                vary.Append(',');
            }

            vary.Append(token);
        }
    }
}
