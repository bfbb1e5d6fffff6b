using System.Collections.Generic;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Negotiation;

/// <summary>
/// One variant of a negotiated resource (mod_negotiation.c's var_rec): what a MultiViews file's
/// extensions or a type map's section say about it, and the qualities the selection computes for
/// the request at hand.
/// </summary>
public sealed class Variant
{
    /// <summary>The MultiViews candidate's sub-request (null for a type-map entry until chosen).</summary>
    internal RequestRecord? SubRequest { get; set; }

    /// <summary>Media type without parameters, lowercase ("" when unknown).</summary>
    public string MimeType { get; set; } = string.Empty;

    /// <summary>The file name, relative to the negotiated resource's directory (a type map's URI:).</summary>
    public string FileName { get; set; } = string.Empty;

    /// <summary>A type map's Body: content: its offset in the map file (0: none).</summary>
    public long BodyOffset { get; set; }

    public string? ContentEncoding { get; set; }

    public List<string>? ContentLanguages { get; set; }

    /// <summary>The charset parameter, lowercase ("" when none).</summary>
    public string ContentCharset { get; set; } = string.Empty;

    public string Description { get; set; } = string.Empty;

    public float LanguageQuality { get; set; } = 1.0f;

    public float EncodingQuality { get; set; } = 1.0f;

    public float CharsetQuality { get; set; } = 1.0f;

    public float MimeTypeQuality { get; set; } = 1.0f;

    /// <summary>qs from the type map (1 for MultiViews files).</summary>
    public float SourceQuality { get; set; }

    public float Level { get; set; }

    /// <summary>Content length when known (type map Content-Length, Body:, or a stat); -1 when not yet known.</summary>
    public long Bytes { get; set; } = -1;

    /// <summary>Position of the best LanguagePriority (or Accept-Language) match, -1 for none.</summary>
    public int LanguageIndex { get; set; } = -1;

    /// <summary>text/html or one of mod_include's magic types.</summary>
    public bool IsPseudoHtml { get; set; }

    public float LevelMatched { get; set; }

    /// <summary>1 for a match on */*, 2 for type/*, 3 for type/subtype.</summary>
    public int MimeStars { get; set; }

    /// <summary>RFC 2296's definite flag.</summary>
    public bool Definite { get; set; } = true;

    /// <summary>Whether a Body: section carries the content in the type map itself.</summary>
    public bool HasBody => BodyOffset > 0;

    /// <summary>Takes the type, quality, level and charset of a parsed Content-Type (set_mime_fields).</summary>
    public void SetMimeFields(in AcceptItem type)
    {
        MimeType = type.Name;
        SourceQuality = type.Quality;
        Level = type.Level;
        ContentCharset = type.Charset;
        IsPseudoHtml = MimeType is "text/html" or AcceptParser.IncludesMagicType or AcceptParser.IncludesMagicType3;
    }

    /// <summary>Languages joined with ',' as Apache prints them in Alternates, Vary decisions and variant lists, or null.</summary>
    public string? LanguageList => ContentLanguages is { Count: > 0 } l ? string.Join(',', l) : null;

    public override string ToString() => FileName;
}
