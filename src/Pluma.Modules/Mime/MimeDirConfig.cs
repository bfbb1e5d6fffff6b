using System.Collections.Generic;

namespace Pluma.Modules.Mime;

/// <summary>
/// mod_mime's per-directory record (mime_dir_config): the extension table built by the Add*
/// directives, the Remove* list that clears inherited entries, and DefaultLanguage.
/// Immutable once the configuration is loaded.
/// </summary>
public sealed class MimeDirConfig
{
    /// <summary>Extension (lowercase, no dot) to what the directives said about it.</summary>
    public Dictionary<string, MimeExtension> Extensions { get; } = new(StringComparer.Ordinal);

    /// <summary>RemoveType/RemoveCharset/...: (extension, field) cleared from what this record inherits.</summary>
    public List<(string Extension, MimeField Field)> Removals { get; } = [];

    /// <summary>DefaultLanguage as written; null when not set here.</summary>
    public string? DefaultLanguage { get; set; }

    /// <summary>MultiviewsMatch as written; Unset inherits (and means NegotiatedOnly).</summary>
    public MultiviewsMatch MultiviewsMatch { get; set; }

    /// <summary>multiviews_match for one word; returns Apache's error text or null.</summary>
    public string? AddMultiviewsMatch(string word)
    {
        MultiviewsMatch m = MultiviewsMatch;
        (MultiviewsMatch flag, MultiviewsMatch incompatible, string error) = word.ToLowerInvariant() switch
        {
            "any" => (MultiviewsMatch.Any, ~MultiviewsMatch.Any, "Any is incompatible with NegotiatedOnly, Filters or Handlers"),
            "negotiatedonly" => (MultiviewsMatch.NegotiatedOnly, ~MultiviewsMatch.NegotiatedOnly, "NegotiatedOnly is incompatible with Any, Filters or Handlers"),
            "filters" => (MultiviewsMatch.Filters, MultiviewsMatch.NegotiatedOnly | MultiviewsMatch.Any, "Filters is incompatible with Any or NegotiatedOnly"),
            "handlers" => (MultiviewsMatch.Handlers, MultiviewsMatch.NegotiatedOnly | MultiviewsMatch.Any, "Handlers is incompatible with Any or NegotiatedOnly"),
            _ => (MultiviewsMatch.Unset, MultiviewsMatch.Unset, "Unrecognized option '" + word + "'"),
        };
        if (flag == MultiviewsMatch.Unset || (m & incompatible) != 0)
        {
            return error;
        }

        MultiviewsMatch = m | flag;
        return null;
    }

    /// <summary>Sets one field for <paramref name="extension"/> as the Add* directives do (both lowercased, leading dot dropped).</summary>
    public void Add(MimeField field, string value, string extension)
    {
        string key = MimeLookup.NormalizeExtension(extension);
        string v = value.ToLowerInvariant();
        MimeExtension current = Extensions.GetValueOrDefault(key) ?? new MimeExtension();
        Extensions[key] = With(current, field, v);
    }

    public void Remove(MimeField field, string extension) => Removals.Add((MimeLookup.NormalizeExtension(extension), field));

    /// <summary>merge_mime_dir_configs: the parent's table, overlaid by the child's, then the child's removals.</summary>
    public static MimeDirConfig Merge(MimeDirConfig parent, MimeDirConfig child)
    {
        var m = new MimeDirConfig();
        foreach (var (k, v) in parent.Extensions)
        {
            m.Extensions[k] = v;
        }

        foreach (var (k, v) in child.Extensions)
        {
            m.Extensions[k] = m.Extensions.TryGetValue(k, out MimeExtension? b) ? MimeExtension.Overlay(b, v) : v;
        }

        foreach (var (ext, field) in child.Removals)
        {
            if (m.Extensions.TryGetValue(ext, out MimeExtension? e))
            {
                m.Extensions[ext] = With(e, field, null);
            }
        }

        m.DefaultLanguage = child.DefaultLanguage ?? parent.DefaultLanguage;
        m.MultiviewsMatch = child.MultiviewsMatch != MultiviewsMatch.Unset ? child.MultiviewsMatch : parent.MultiviewsMatch;
        return m;
    }

    private static MimeExtension With(MimeExtension e, MimeField field, string? value) => field switch
    {
        MimeField.Type => e with { Type = value },
        MimeField.Charset => e with { Charset = value },
        MimeField.Encoding => e with { Encoding = value },
        MimeField.Language => e with { Language = value },
        _ => e with { Handler = value },
    };
}
