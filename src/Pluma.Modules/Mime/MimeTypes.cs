using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Pluma.Modules.Mime;

/// <summary>
/// A parsed mime.types file (TypesConfig): extension to content type. Each file is read once
/// per process and shared by every request and every later configuration that names it, until
/// the file changes (a restart reads an edited file again, as Apache's post_config does). The
/// table is one flat block (<see cref="MimeTable"/>): the parent hands its block down to the
/// children of its generation (<see cref="Adopt"/>), which then neither read nor parse the file
/// (Apache's forked children inherit the parent's table); a process that parses it works on the
/// file's bytes (Debian's file has about 1,550 extensions, and a parse through string.Split and
/// a FrozenDictionary was a fifth of a prefork child's start: bench/RESULTS.md, "Start").
/// </summary>
public sealed unsafe class MimeTypes
{
    /// <summary>Apache's compiled default (AP_TYPES_CONFIG_FILE), relative to ServerRoot.</summary>
    public const string DefaultPath = "conf/mime.types";

    private static readonly ConcurrentDictionary<string, MimeTypes> s_cache = new(StringComparer.Ordinal);

    // The table: a managed array, or memory mapped for the process's lifetime (never both).
    private readonly byte[]? _array;
    private readonly byte* _mapped;
    private readonly int _length;

    // The type strings, made on first lookup (a child that adopted the table makes only those its requests need).
    private readonly string?[] _typeStrings;

    private MimeTypes(byte[]? array, byte* mapped, int length, FileStamp stamp)
    {
        _array = array;
        _mapped = mapped;
        _length = length;
        Stamp = stamp;
        _typeStrings = new string?[MimeTable.TypeCount(Image)];
    }

    public static MimeTypes Empty { get; } = FromParsed([], new Dictionary<string, int>(StringComparer.Ordinal), default);

    public int Count => MimeTable.EntryCount(Image);

    /// <summary>The table's bytes, as <see cref="Adopt"/> takes them in another process.</summary>
    public ReadOnlySpan<byte> Image => _array is not null ? _array : new ReadOnlySpan<byte>(_mapped, _length);

    /// <summary>What the file looked like when it was read (adopted tables: the parent's reading, never checked again).</summary>
    private FileStamp Stamp { get; }

    /// <summary>The type for a lowercase extension without dot, or null.</summary>
    public string? Lookup(string extension) => Lookup(extension.AsSpan());

    /// <summary>The type for an extension span (no dot; the table's keys are lowercase), or null; no allocation once the type was looked up before.</summary>
    public string? Lookup(ReadOnlySpan<char> extension)
    {
        ReadOnlySpan<byte> image = Image;
        int type = MimeTable.Find(image, extension);
        if (type < 0)
        {
            return null;
        }

        // Two threads may both make it: equal strings, either one is kept.
        return _typeStrings[type] ??= new string(MimeTable.Type(image, type));
    }

    /// <summary>
    /// The types file at <paramref name="path"/>, read on first use and cached for the process
    /// (read again when its size or modification time changed since). Throws
    /// <see cref="IOException"/> with Apache's AH01597 text when it cannot be read.
    /// </summary>
    public static MimeTypes Load(string path)
    {
        MimeTypes? cached = s_cache.GetValueOrDefault(path);
        if (cached is not null && cached.Stamp.Adopted)
        {
            return cached;
        }

        FileStamp stamp = FileStamp.Of(path);
        if (cached is not null && cached.Stamp == stamp)
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

        MimeTypes parsed = Parse(text, stamp);
        s_cache[path] = parsed;
        return parsed;
    }

    /// <summary>
    /// Makes <paramref name="length"/> bytes at <paramref name="table"/> (another process's
    /// <see cref="Image"/>, mapped for the rest of this process's life) the table
    /// <see cref="Load"/> answers for <paramref name="path"/>, without reading the file;
    /// false (and nothing adopted) when the bytes are not a whole table.
    /// </summary>
    public static bool Adopt(string path, byte* table, int length)
    {
        if (!MimeTable.IsValid(new ReadOnlySpan<byte>(table, length)))
        {
            return false;
        }

        s_cache[path] = new MimeTypes(null, table, length, new FileStamp(0, 0, Adopted: true));
        return true;
    }

    /// <summary>Parses mime.types text (see <see cref="Parse(ReadOnlySpan{byte})"/>).</summary>
    public static MimeTypes Parse(string text) => Parse(Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Parses mime.types bytes as mod_mime's post_config: '#' starts a comment line, the first
    /// word is the type, the other words are extensions (lowercased); a later line wins.
    /// </summary>
    public static MimeTypes Parse(ReadOnlySpan<byte> text) => Parse(text, default);

    private static MimeTypes Parse(ReadOnlySpan<byte> text, FileStamp stamp)
    {
        // Sized from the file so the map never grows: about one extension per 40 bytes of
        // Debian's file, comments included.
        var map = new Dictionary<string, int>((text.Length / 40) + 16, StringComparer.Ordinal);
        var types = new List<string>();
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
            int typeIndex = -1;
            for (ReadOnlySpan<byte> word = NextWord(ref line); !word.IsEmpty; word = NextWord(ref line))
            {
                if (typeIndex < 0)
                {
                    typeIndex = types.Count;
                    types.Add(Encoding.UTF8.GetString(type));
                }

                map[Lowercase(word)] = typeIndex;
            }
        }

        return FromParsed(types, map, stamp);
    }

    private static MimeTypes FromParsed(List<string> types, Dictionary<string, int> map, FileStamp stamp)
    {
        byte[] image = MimeTable.Build(types, map);
        return new MimeTypes(image, null, image.Length, stamp);
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

    /// <summary>A file's size and modification time: whether a cached table is still the file's.</summary>
    private readonly record struct FileStamp(long Length, long WriteTicks, bool Adopted = false)
    {
        public static FileStamp Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc.Ticks) : default;
        }
    }
}
