using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.IO;

namespace Pluma.Modules.Mime;

/// <summary>
/// A parsed mime.types file (TypesConfig): extension to content type. Each file is read once
/// per process and shared by every request and every later configuration that names it.
/// </summary>
public sealed class MimeTypes
{
    /// <summary>Apache's compiled default (AP_TYPES_CONFIG_FILE), relative to ServerRoot.</summary>
    public const string DefaultPath = "conf/mime.types";

    private static readonly ConcurrentDictionary<string, MimeTypes> s_cache = new(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, string> _types;

    private MimeTypes(FrozenDictionary<string, string> types) => _types = types;

    public static MimeTypes Empty { get; } = new(FrozenDictionary<string, string>.Empty);

    public int Count => _types.Count;

    /// <summary>The type for a lowercase extension without dot, or null.</summary>
    public string? Lookup(string extension) => _types.GetValueOrDefault(extension);

    /// <summary>The type for an extension span (any case, no dot), or null; no allocation for lowercase input.</summary>
    public string? Lookup(ReadOnlySpan<char> extension) =>
        _types.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(extension, out string? t) ? t : null;

    /// <summary>
    /// The types file at <paramref name="path"/>, read on first use and cached for the process.
    /// Throws <see cref="IOException"/> with Apache's AH01597 text when it cannot be read.
    /// </summary>
    public static MimeTypes Load(string path)
    {
        if (s_cache.TryGetValue(path, out MimeTypes? cached))
        {
            return cached;
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException("AH01597: could not open mime types config file " + path + ".", e);
        }

        MimeTypes parsed = Parse(text);
        return s_cache.GetOrAdd(path, parsed);
    }

    /// <summary>
    /// Parses mime.types text as mod_mime's post_config: '#' starts a comment line, the first
    /// word is the type, the other words are extensions (lowercased); a later line wins.
    /// </summary>
    public static MimeTypes Parse(string text)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            string[] words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2)
            {
                continue;
            }

            string type = words[0];
            for (int i = 1; i < words.Length; i++)
            {
                map[words[i].ToLowerInvariant()] = type;
            }
        }

        return new MimeTypes(map.ToFrozenDictionary(StringComparer.Ordinal));
    }
}
