using System.Collections.Generic;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Negotiation;

/// <summary>
/// mod_negotiation.c's variant selection (best_match and the set_*_quality routines it runs on
/// every variant): each variant gets a quality per dimension from the Accept* fields, then
/// either Apache's own algorithm (is_variant_better: type x source quality, then language,
/// LanguagePriority, level, charset, encoding, smaller size) or RFC 2296's RVSA/1.0 picks one.
/// </summary>
public static class VariantSelection
{
    /// <summary>
    /// Computes every variant's qualities and returns whether the algorithm chose one
    /// (<paramref name="best"/>; "choice") or not ("list": a 300 or 406).
    /// </summary>
    public static bool BestMatch(NegotiationState neg, out Variant? best)
    {
        string? preferred = neg.PreferredLanguage;
        SetDefaultLanguageQuality(neg);
        while (true)
        {
            best = null;
            float bestq = 0.0f;
            foreach (Variant v in neg.Variants)
            {
                if ((neg.NoGzip || neg.GzipOnlyTextHtml) && DiscardByEnvironment(v, neg.NoGzip))
                {
                    continue;
                }

                if (preferred is not null && !(v.ContentLanguages?.Contains(preferred) ?? false))
                {
                    continue;
                }

                SetAcceptQuality(neg, v);
                if (preferred is not null)
                {
                    // The preferred language counts as accepted even when Accept-Language does not name it.
                    v.LanguageQuality = 1.0f;
                    v.Definite = true;
                }
                else
                {
                    SetLanguageQuality(neg, v);
                }

                SetEncodingQuality(neg, v);
                SetCharsetQuality(neg, v);
                if (neg.MayChoose && (neg.UseRvsa ? IsBetterRvsa(v, best, ref bestq) : IsBetter(neg, v, best, ref bestq)))
                {
                    best = v;
                }
            }

            bool choice = neg.UseRvsa ? best is { Definite: true } && bestq > 0 : bestq > 0;
            if (preferred is not null && (best is null || !choice))
            {
                preferred = null; // no clear result in that language: negotiate over all variants
                continue;
            }

            return choice;
        }
    }

    private static void SetDefaultLanguageQuality(NegotiationState neg)
    {
        neg.DefaultLanguageQuality = 1.0f;
        if (neg.DontFiddleHeaders)
        {
            return;
        }

        foreach (Variant v in neg.Variants)
        {
            if (v.ContentLanguages is { Count: > 0 })
            {
                neg.DefaultLanguageQuality = 0.0001f;
                return;
            }
        }
    }

    /// <summary>set_accept_quality: the q of the most specific Accept range that matches the type (wildcards near 0 when no q was sent).</summary>
    internal static void SetAcceptQuality(NegotiationState neg, Variant v)
    {
        if (neg.Accepts is not { } accepts)
        {
            if (v.MimeType.Length > 0)
            {
                v.Definite = false;
            }

            return;
        }

        float q = 0.0f;
        bool definite = true;
        foreach (AcceptItem type in accepts)
        {
            int previousStars = v.MimeStars;
            if (!MimeMatch(type, v) || previousStars == v.MimeStars)
            {
                continue;
            }

            if (!neg.DontFiddleHeaders && !neg.AcceptQ && v.MimeStars == 1)
            {
                q = 0.01f;
            }
            else if (!neg.DontFiddleHeaders && !neg.AcceptQ && v.MimeStars == 2)
            {
                q = 0.02f;
            }
            else
            {
                q = type.Quality;
            }

            definite = v.MimeStars == 3;
        }

        v.MimeTypeQuality = q;
        v.Definite = v.Definite && definite;
    }

    /// <summary>mime_match: */* and type/* wildcards, or the exact type at a level the client accepts.</summary>
    private static bool MimeMatch(in AcceptItem accept, Variant v)
    {
        string a = accept.Name;
        string t = v.MimeType;
        if (a.Length > 0 && a[0] == '*')
        {
            v.MimeStars = Math.Max(v.MimeStars, 1);
            return true;
        }

        if (a.Length > 0 && a[^1] == '*' && string.CompareOrdinal(a, 0, t, 0, Math.Max(a.Length - 2, 0)) == 0)
        {
            v.MimeStars = Math.Max(v.MimeStars, 2);
            return true;
        }

        if ((a == t || (a == "text/html" && t is AcceptParser.IncludesMagicType or AcceptParser.IncludesMagicType3)) && accept.Level >= v.Level)
        {
            v.LevelMatched = v.Level;
            v.MimeStars = 3;
            return true;
        }

        return false;
    }

    /// <summary>
    /// set_language_quality: the q of the longest Accept-Language range matching one of the
    /// variant's languages (a prefix up to '-' matches), '*' for the rest; then ForceLanguagePriority's
    /// Prefer (rank among equals) and Fallback (0.0001 instead of unacceptable).
    /// </summary>
    internal static void SetLanguageQuality(NegotiationState neg, Variant v)
    {
        ForceLanguagePriority force = neg.ForcePriority == ForceLanguagePriority.Undefined ? ForceLanguagePriority.Prefer : neg.ForcePriority;
        if (v.ContentLanguages is not { Count: > 0 } languages)
        {
            if (!neg.DontFiddleHeaders)
            {
                v.LanguageQuality = neg.DefaultLanguageQuality;
            }

            return;
        }

        if (neg.AcceptLanguages is not { } accepted)
        {
            v.Definite = false;
        }
        else
        {
            AcceptItem? best = null;
            AcceptItem? star = null;
            float fiddleQ = 0.0f;
            bool anyMatchOnStar = false;
            foreach (string lang in languages)
            {
                AcceptItem? bestThisTag = null;
                int longest = 0;
                foreach (AcceptItem a in accepted)
                {
                    if (a.Name == "*")
                    {
                        star ??= a;
                        continue;
                    }

                    int alen = a.Name.Length;
                    if (lang.Length >= alen && string.CompareOrdinal(lang, 0, a.Name, 0, alen) == 0
                        && (lang.Length == alen || lang[alen] == '-') && alen > longest)
                    {
                        longest = alen;
                        bestThisTag = a;
                    }

                    if (bestThisTag is null && !neg.DontFiddleHeaders)
                    {
                        // en-US in Accept-Language still reaches en and en-GB, far below any real match.
                        int dash = a.Name.IndexOf('-', StringComparison.Ordinal);
                        if (dash >= 0 && string.CompareOrdinal(lang, 0, a.Name, 0, dash) == 0 && lang.Length >= dash)
                        {
                            fiddleQ = 0.001f;
                        }
                    }
                }

                if (best is null || (bestThisTag is { } b && b.Quality > best.Value.Quality))
                {
                    best = bestThisTag;
                }

                if (bestThisTag is null && star is not null)
                {
                    anyMatchOnStar = true;
                }
            }

            if (anyMatchOnStar && (best is null || star!.Value.Quality > best.Value.Quality))
            {
                best = star;
                v.Definite = false;
            }

            v.LanguageQuality = best?.Quality ?? fiddleQ;
        }

        if (((force & ForceLanguagePriority.Prefer) != 0 && v.LanguageIndex < 0)
            || ((force & ForceLanguagePriority.Fallback) != 0 && v.LanguageQuality == 0))
        {
            int bestIndex = -1;
            foreach (string lang in languages)
            {
                int idx = FindLanguageIndex(neg.LanguagePriority, lang);
                if (idx >= 0 && (bestIndex == -1 || idx < bestIndex))
                {
                    bestIndex = idx;
                }
            }

            if (bestIndex >= 0)
            {
                if (v.LanguageQuality != 0)
                {
                    if ((force & ForceLanguagePriority.Prefer) != 0)
                    {
                        v.LanguageIndex = bestIndex;
                    }
                }
                else if ((force & ForceLanguagePriority.Fallback) != 0)
                {
                    v.LanguageIndex = bestIndex;
                    v.LanguageQuality = 0.0001f;
                    v.Definite = false;
                }
            }
        }
    }

    /// <summary>find_lang_index: the first LanguagePriority entry that is a prefix of the tag.</summary>
    private static int FindLanguageIndex(IReadOnlyList<string>? priority, string lang)
    {
        if (priority is null)
        {
            return -1;
        }

        for (int i = 0; i < priority.Count; i++)
        {
            if (lang.StartsWith(priority[i], StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// set_charset_quality: the q of the variant's charset (iso-8859-1 for text without one,
    /// acceptable unless refused); '*' for the rest; no field accepts everything.
    /// </summary>
    internal static void SetCharsetQuality(NegotiationState neg, Variant v)
    {
        string charset = v.ContentCharset;
        if (neg.AcceptCharsets is not { } accepted)
        {
            if (charset.Length > 0)
            {
                v.Definite = false;
            }

            return;
        }

        if (charset.Length == 0)
        {
            if (!(v.MimeType.StartsWith("text/", StringComparison.Ordinal) || v.MimeType is AcceptParser.IncludesMagicType or AcceptParser.IncludesMagicType3)
                || neg.DontFiddleHeaders)
            {
                return;
            }

            charset = "iso-8859-1";
        }

        AcceptItem? star = null;
        foreach (AcceptItem a in accepted)
        {
            if (a.Name == charset)
            {
                v.CharsetQuality = a.Quality;
                return;
            }

            if (a.Name == "*")
            {
                star = a;
            }
        }

        if (star is { } s)
        {
            v.CharsetQuality = s.Quality;
            v.Definite = false;
            return;
        }

        v.CharsetQuality = charset == "iso-8859-1" ? 1.0f : 0.0f;
    }

    /// <summary>is_identity_encoding: none, 7bit, 8bit or binary.</summary>
    internal static bool IsIdentityEncoding(string? enc) => string.IsNullOrEmpty(enc) || enc is "7bit" or "8bit" or "binary";

    /// <summary>
    /// set_encoding_quality: without Accept-Encoding every encoding is acceptable at 0.5 (none at 1);
    /// with it, a listed encoding ("x-" ignored) or '*' is, and no encoding is unless refused.
    /// </summary>
    internal static void SetEncodingQuality(NegotiationState neg, Variant v)
    {
        string? enc = v.ContentEncoding;
        if (neg.AcceptEncodings is not { } accepted)
        {
            v.EncodingQuality = IsIdentityEncoding(enc) ? 1.0f : 0.5f;
            return;
        }

        float valueIfNotFound = 0.0f;
        if (IsIdentityEncoding(enc))
        {
            enc = "identity";
            valueIfNotFound = 0.0001f;
        }

        ReadOnlySpan<char> e = enc.AsSpan();
        if (e.StartsWith("x-"))
        {
            e = e[2..];
        }

        AcceptItem? star = null;
        foreach (AcceptItem a in accepted)
        {
            ReadOnlySpan<char> name = a.Name.AsSpan();
            if (name.StartsWith("x-"))
            {
                name = name[2..];
            }

            if (name.SequenceEqual(e))
            {
                v.EncodingQuality = a.Quality;
                return;
            }

            if (name.SequenceEqual("*"))
            {
                star = a;
            }
        }

        v.EncodingQuality = star?.Quality ?? valueIfNotFound;
    }

    private static bool IsBetterRvsa(Variant v, Variant? best, ref float bestq)
    {
        if (v.EncodingQuality == 0.0f)
        {
            return false;
        }

        float q = v.MimeTypeQuality * v.SourceQuality * v.CharsetQuality * v.LanguageQuality;
        if (q <= 0.0f)
        {
            return false;
        }

        if (q > bestq || (q == bestq && best is not null && v.EncodingQuality > best.EncodingQuality))
        {
            bestq = q;
            return true;
        }

        return false;
    }

    /// <summary>is_variant_better: Apache's own order of tie-breaks.</summary>
    private static bool IsBetter(NegotiationState neg, Variant v, Variant? best, ref float bestq)
    {
        if (v.EncodingQuality == 0.0f || v.LanguageQuality == 0.0f || v.SourceQuality == 0.0f
            || v.CharsetQuality == 0.0f || v.MimeTypeQuality == 0.0f)
        {
            return false;
        }

        float q = v.MimeTypeQuality * v.SourceQuality;
        if (q == 0.0f || q < bestq)
        {
            return false;
        }

        if (q > bestq || best is null)
        {
            bestq = q;
            return true;
        }

        if (v.LanguageQuality != best.LanguageQuality)
        {
            return Better(v.LanguageQuality > best.LanguageQuality, q, ref bestq);
        }

        if (best.LanguageIndex != -1 && (v.LanguageIndex == -1 || v.LanguageIndex > best.LanguageIndex))
        {
            return false;
        }

        if (v.LanguageIndex != -1 && (best.LanguageIndex == -1 || v.LanguageIndex < best.LanguageIndex))
        {
            bestq = q;
            return true;
        }

        int level = LevelCompare(v, best);
        if (level != 0)
        {
            return Better(level > 0, q, ref bestq);
        }

        if (v.CharsetQuality < best.CharsetQuality)
        {
            return false;
        }

        // Equal charset quality: a declared charset other than iso-8859-1 beats the default one.
        if (v.CharsetQuality > best.CharsetQuality
            || (v.ContentCharset.Length > 0 && v.ContentCharset != "iso-8859-1"
                && (best.ContentCharset.Length == 0 || best.ContentCharset == "iso-8859-1")))
        {
            bestq = q;
            return true;
        }

        if (v.EncodingQuality != best.EncodingQuality)
        {
            return Better(v.EncodingQuality > best.EncodingQuality, q, ref bestq);
        }

        if (ContentLength(neg, v) >= ContentLength(neg, best))
        {
            return false;
        }

        bestq = q;
        return true;
    }

    private static bool Better(bool better, float q, ref float bestq)
    {
        if (better)
        {
            bestq = q;
        }

        return better;
    }

    /// <summary>level_cmp: among the same type (or pseudo-HTML), the highest level matched, else the lowest level.</summary>
    private static int LevelCompare(Variant a, Variant b)
    {
        if (a.IsPseudoHtml && !b.IsPseudoHtml)
        {
            return 0;
        }

        if (!a.IsPseudoHtml && a.MimeType != b.MimeType)
        {
            return 0;
        }

        if (a.LevelMatched != b.LevelMatched)
        {
            return a.LevelMatched > b.LevelMatched ? 1 : -1;
        }

        if (a.Level != b.Level)
        {
            return a.Level < b.Level ? 1 : -1;
        }

        return 0;
    }

    /// <summary>find_content_length: the known size, else a stat of the file (remembered).</summary>
    internal static long ContentLength(NegotiationState neg, Variant v)
    {
        if (v.Bytes < 0)
        {
            if (v.SubRequest is { FileInfo.Exists: true } sub)
            {
                v.Bytes = sub.FileInfo.Size;
            }
            else if (v.FileName.Length > 0 && neg.DirectoryName.Length > 0)
            {
                FileStatus st = FileStatus.Of(neg.DirectoryName + v.FileName);
                if (st.Exists)
                {
                    v.Bytes = st.Size;
                }
            }
        }

        return v.Bytes;
    }

    /// <summary>discard_variant_by_env: no-gzip drops every encoded variant, gzip-only-text/html the encoded ones of other types.</summary>
    private static bool DiscardByEnvironment(Variant v, bool all)
    {
        if (IsIdentityEncoding(v.ContentEncoding) || v.ContentEncoding == "identity")
        {
            return false;
        }

        return all || !v.MimeType.StartsWith("text/html", StringComparison.Ordinal);
    }
}
