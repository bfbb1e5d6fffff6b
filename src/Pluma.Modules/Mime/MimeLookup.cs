using System.Collections.Generic;

namespace Pluma.Modules.Mime;

/// <summary>
/// mod_mime's find_ct as a pure function of the file name and the configuration, so the rules
/// are testable without a request: every extension after the base name counts, in order.
/// </summary>
public static class MimeLookup
{
    /// <summary>What Apache gives a directory (DIR_MAGIC_TYPE).</summary>
    public const string DirectoryType = "httpd/unix-directory";

    /// <summary>Lowercase and drop one leading dot, as the Add* directives store extensions.</summary>
    public static string NormalizeExtension(string extension)
    {
        string e = extension.StartsWith('.') ? extension[1..] : extension;
        return e.ToLowerInvariant();
    }

    /// <summary>
    /// Fills <paramref name="result"/> for <paramref name="path"/> (a file path or bare name).
    /// The part before the first dot is the base name and never an extension ("txt.html" is HTML;
    /// ".png" has an empty base name), empty parts are skipped, and each other part is looked up:
    /// the types file first unless AddType set the extension, then the Add* table (type, charset,
    /// language, encoding, handler; types and handlers: the last match wins, languages and
    /// encodings accumulate). Returns whether any extension was recognised.
    /// </summary>
    public static bool Resolve(ReadOnlySpan<char> path, MimeDirConfig? config, MimeTypes types, MimeResult result)
    {
        result.Clear();
        int slash = path.LastIndexOf('/');
        ReadOnlySpan<char> fn = slash >= 0 ? path[(slash + 1)..] : path;
        int dot = fn.IndexOf('.');
        if (result.WantExceptions)
        {
            // The base name is always the first exception.
            result.Exceptions.Add(fn[..(dot < 0 ? fn.Length : dot)].ToString());
        }

        if (dot < 0)
        {
            ApplyDefaultLanguage(config, result);
            return false;
        }

        MultiviewsMatch multimatch = config?.MultiviewsMatch ?? MultiviewsMatch.NegotiatedOnly;
        ReadOnlySpan<char> rest = fn[(dot + 1)..];
        Dictionary<string, MimeExtension>.AlternateLookup<ReadOnlySpan<char>>? table =
            config is { Extensions.Count: > 0 } ? config.Extensions.GetAlternateLookup<ReadOnlySpan<char>>() : null;
        string? charset = null;
        bool found = false;
        Span<char> lower = stackalloc char[64];
        while (!rest.IsEmpty)
        {
            int next = rest.IndexOf('.');
            ReadOnlySpan<char> ext = next < 0 ? rest : rest[..next];
            rest = next < 0 ? [] : rest[(next + 1)..];
            if (ext.IsEmpty)
            {
                continue;
            }

            scoped ReadOnlySpan<char> key = ext;
            if (ext.Length <= lower.Length)
            {
                int n = ext.ToLowerInvariant(lower);
                key = lower[..n];
            }
            else
            {
                key = ext.ToString().ToLowerInvariant();
            }

            MimeExtension? info = null;
            if (table is { } t && t.TryGetValue(key, out MimeExtension? e))
            {
                info = e;
            }

            bool known = false;
            if (info?.Type is null && types.Lookup(key) is string typed)
            {
                result.ContentType = typed;
                found = known = true;
            }

            if (info is null)
            {
                Count(result, known, multimatch, ext);
                continue;
            }

            known |= info.Type is not null || info.Charset is not null || info.Language is not null || info.Encoding is not null
                || (info.Handler is not null && (multimatch & MultiviewsMatch.Handlers) != 0);
            Count(result, known, multimatch, ext);

            if (info.Type is not null)
            {
                result.ContentType = info.Type;
                found = true;
            }

            if (info.Charset is not null)
            {
                charset = info.Charset;
                found = true;
            }

            if (info.Language is not null)
            {
                result.Languages.Add(info.Language);
                found = true;
            }

            if (info.Encoding is not null)
            {
                result.ContentEncoding = result.ContentEncoding is null ? info.Encoding : result.ContentEncoding + ", " + info.Encoding;
                found = true;
            }

            if (info.Handler is not null)
            {
                result.Handler = info.Handler;
            }
        }

        if (result.ContentType is not null && charset is not null)
        {
            result.ContentType = WithCharset(result.ContentType, charset);
        }

        ApplyDefaultLanguage(config, result);
        return found;
    }

    /// <summary>An extension MultiviewsMatch does not count becomes an exception (find_ct's exception_list).</summary>
    private static void Count(MimeResult result, bool known, MultiviewsMatch multimatch, ReadOnlySpan<char> ext)
    {
        if (!result.WantExceptions)
        {
            return;
        }

        if (known || (multimatch & MultiviewsMatch.Any) != 0)
        {
            result.FoundMetadata = true;
        }
        else
        {
            result.Exceptions.Add(ext.ToString());
        }
    }

    /// <summary>Sets or replaces the charset parameter of a content type (mod_mime rebuilds the type the same way).</summary>
    public static string WithCharset(string contentType, string charset)
    {
        int i = contentType.IndexOf("charset=", StringComparison.OrdinalIgnoreCase);
        if (i < 0)
        {
            return contentType + "; charset=" + charset;
        }

        int end = contentType.IndexOf(';', i);
        return contentType[..(i + 8)] + charset + (end < 0 ? string.Empty : contentType[end..]);
    }

    private static void ApplyDefaultLanguage(MimeDirConfig? config, MimeResult result)
    {
        if (result.Languages.Count == 0 && config?.DefaultLanguage is { } lang)
        {
            result.Languages.Add(lang);
        }
    }
}
