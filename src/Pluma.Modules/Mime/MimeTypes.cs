using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Pluma.Modules.Mime;

/// <summary>
/// A parsed mime.types file (TypesConfig): extension to content type. Each file is read once
/// per process and shared by every request and every later configuration that names it.
/// Every exec'd child parses it again before it serves (Apache's forked children inherit the
/// parent's table), so the parse works on the file's bytes and allocates only the table's own
/// strings: Debian's file has about 1,550 extensions, and a parse through string.Split and a
/// FrozenDictionary was a fifth of a prefork child's start (bench/RESULTS.md, "Start").
/// </summary>
public sealed class MimeTypes
{
    /// <summary>Apache's compiled default (AP_TYPES_CONFIG_FILE), relative to ServerRoot.</summary>
    public const string DefaultPath = "conf/mime.types";

    private static readonly ConcurrentDictionary<string, MimeTypes> s_cache = new(StringComparer.Ordinal);

    private readonly Dictionary<string, string> _types;
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    private MimeTypes(Dictionary<string, string> types)
    {
        _types = types;
        _bySpan = types.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public static MimeTypes Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));

    public int Count => _types.Count;

    /// <summary>The type for a lowercase extension without dot, or null.</summary>
    public string? Lookup(string extension) => _types.GetValueOrDefault(extension);

    /// <summary>The type for an extension span (no dot; the table's keys are lowercase), or null; no allocation.</summary>
    public string? Lookup(ReadOnlySpan<char> extension) => _bySpan.TryGetValue(extension, out string? t) ? t : null;

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

        byte[] text;
        try
        {
            text = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException("AH01597: could not open mime types config file " + path + ".", e);
        }

        MimeTypes parsed = Parse(text);
        return s_cache.GetOrAdd(path, parsed);
    }

    /// <summary>Parses mime.types text (see <see cref="Parse(ReadOnlySpan{byte})"/>).</summary>
    public static MimeTypes Parse(string text) => Parse(Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Parses mime.types bytes as mod_mime's post_config: '#' starts a comment line, the first
    /// word is the type, the other words are extensions (lowercased); a later line wins.
    /// </summary>
    public static MimeTypes Parse(ReadOnlySpan<byte> text)
    {
        // Sized from the file so the table never grows: about one extension per 40 bytes of
        // Debian's file, comments included.
        var map = new Dictionary<string, string>((text.Length / 40) + 16, StringComparer.Ordinal);
        while (!text.IsEmpty)
        {
            int end = text.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = end < 0 ? text : text[..end];
            text = end < 0 ? default : text[(end + 1)..];
            line = line.TrimStart(Whitespace);
            if (line.IsEmpty || line[0] == (byte)'#')
            {
                continue;
            }

            ReadOnlySpan<byte> type = NextWord(ref line);
            string? typeText = null;
            for (ReadOnlySpan<byte> word = NextWord(ref line); !word.IsEmpty; word = NextWord(ref line))
            {
                typeText ??= Encoding.UTF8.GetString(type);
                map[Lowercase(word)] = typeText;
            }
        }

        return new MimeTypes(map);
    }

    private static ReadOnlySpan<byte> Whitespace => " \t\r\v\f"u8;

    private static ReadOnlySpan<byte> NextWord(ref ReadOnlySpan<byte> line)
    {
        line = line.TrimStart(Whitespace);
        int end = line.IndexOfAny(Whitespace);
        ReadOnlySpan<byte> word = end < 0 ? line : line[..end];
        line = end < 0 ? default : line[end..];
        return word;
    }

    private static string Lowercase(ReadOnlySpan<byte> word) =>
        Ascii.IsValid(word)
            ? string.Create(word.Length, word, static (chars, w) => Ascii.ToLower(w, chars, out _))
            : Encoding.UTF8.GetString(word).ToLowerInvariant();
}
