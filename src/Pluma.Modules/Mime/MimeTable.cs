using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Pluma.Modules.Mime;

/// <summary>
/// A mime.types table in one flat block of bytes: an open-addressed hash of the extensions and
/// the text of every extension and type. The same bytes serve lookups wherever they are: in a
/// managed array where a process parsed the file itself, or in the memory file the parent
/// handed down, mapped read-only and shared by every child of its generation (Apache's forked
/// children share the parent's table the same way). A child that adopts it allocates nothing for
/// the table's ~1,550 extensions, and has nothing of it for its start-up collection to move.
/// The hash does not depend on the process (string hashes are randomised per process), and the
/// table never grows after it is built: requests only look up, so they cannot lengthen a probe.
/// </summary>
internal static class MimeTable
{
    // Layout, int32 fields in the machine's order (parent and children are one binary on one machine):
    //   header: magic, version, slot count (a power of two), type count, entry count, char count
    //   slots:  slot count x (key start, key length, type index + 1; 0 = empty)
    //   types:  type count x (start, length)
    //   chars:  the UTF-16 text the slots and types point into
    private const int Magic = 0x544D4C50; // "PLMT"
    private const int Version = 1;
    private const int HeaderInts = 6;

    /// <summary>The table of <paramref name="types"/> (one entry per type line) and <paramref name="extensions"/> (lowercase extension to type index).</summary>
    public static byte[] Build(List<string> types, Dictionary<string, int> extensions)
    {
        int slotCount = 1;
        while (slotCount < extensions.Count * 2)
        {
            slotCount <<= 1; // at most half full: probes stay short
        }

        int charCount = 0;
        foreach (string t in types)
        {
            charCount += t.Length;
        }

        foreach (string e in extensions.Keys)
        {
            charCount += e.Length;
        }

        int charsAt = (HeaderInts + (slotCount * 3) + (types.Count * 2)) * sizeof(int);
        byte[] image = new byte[charsAt + (charCount * sizeof(char))];
        Span<int> ints = MemoryMarshal.Cast<byte, int>(image.AsSpan(0, charsAt));
        Span<char> chars = MemoryMarshal.Cast<byte, char>(image.AsSpan(charsAt));
        ints[0] = Magic;
        ints[1] = Version;
        ints[2] = slotCount;
        ints[3] = types.Count;
        ints[4] = extensions.Count;
        ints[5] = charCount;
        int next = 0;
        Span<int> typeRanges = ints.Slice(HeaderInts + (slotCount * 3), types.Count * 2);
        for (int i = 0; i < types.Count; i++)
        {
            types[i].CopyTo(chars[next..]);
            typeRanges[2 * i] = next;
            typeRanges[(2 * i) + 1] = types[i].Length;
            next += types[i].Length;
        }

        Span<int> slots = ints.Slice(HeaderInts, slotCount * 3);
        foreach ((string key, int type) in extensions)
        {
            int s = (int)(Hash(key) & (uint)(slotCount - 1));
            while (slots[(3 * s) + 2] != 0)
            {
                s = (s + 1) & (slotCount - 1);
            }

            key.CopyTo(chars[next..]);
            slots[3 * s] = next;
            slots[(3 * s) + 1] = key.Length;
            slots[(3 * s) + 2] = type + 1;
            next += key.Length;
        }

        return image;
    }

    /// <summary>Whether <paramref name="image"/> is a whole table of this version (what a child checks before it adopts one).</summary>
    public static bool IsValid(ReadOnlySpan<byte> image)
    {
        if (image.Length < HeaderInts * sizeof(int))
        {
            return false;
        }

        ReadOnlySpan<int> h = MemoryMarshal.Cast<byte, int>(image[..(HeaderInts * sizeof(int))]);
        if (h[0] != Magic || h[1] != Version || h[2] <= 0 || (h[2] & (h[2] - 1)) != 0 || h[3] < 0 || h[4] < 0 || h[5] < 0)
        {
            return false;
        }

        long size = ((HeaderInts + (3L * h[2]) + (2L * h[3])) * sizeof(int)) + (2L * h[5]);
        return size == image.Length;
    }

    public static int EntryCount(ReadOnlySpan<byte> image) => MemoryMarshal.Cast<byte, int>(image)[4];

    public static int TypeCount(ReadOnlySpan<byte> image) => MemoryMarshal.Cast<byte, int>(image)[3];

    /// <summary>The index of the type of <paramref name="extension"/> (lowercase, no dot), or -1.</summary>
    public static int Find(ReadOnlySpan<byte> image, ReadOnlySpan<char> extension)
    {
        ReadOnlySpan<int> ints = MemoryMarshal.Cast<byte, int>(image);
        int slotCount = ints[2];
        ReadOnlySpan<int> slots = ints.Slice(HeaderInts, slotCount * 3);
        ReadOnlySpan<char> chars = Chars(image, ints);
        int s = (int)(Hash(extension) & (uint)(slotCount - 1));
        while (true)
        {
            int type = slots[(3 * s) + 2];
            if (type == 0)
            {
                return -1;
            }

            if (slots[(3 * s) + 1] == extension.Length && chars.Slice(slots[3 * s], extension.Length).SequenceEqual(extension))
            {
                return type - 1;
            }

            s = (s + 1) & (slotCount - 1);
        }
    }

    /// <summary>The text of type <paramref name="index"/>.</summary>
    public static ReadOnlySpan<char> Type(ReadOnlySpan<byte> image, int index)
    {
        ReadOnlySpan<int> ints = MemoryMarshal.Cast<byte, int>(image);
        int at = HeaderInts + (ints[2] * 3) + (2 * index);
        return Chars(image, ints).Slice(ints[at], ints[at + 1]);
    }

    private static ReadOnlySpan<char> Chars(ReadOnlySpan<byte> image, ReadOnlySpan<int> ints) =>
        MemoryMarshal.Cast<byte, char>(image[((HeaderInts + (ints[2] * 3) + (ints[3] * 2)) * sizeof(int))..]);

    // FNV-1a over the UTF-16 code units: the same in every process of the same binary.
    private static uint Hash(ReadOnlySpan<char> key)
    {
        uint h = 2166136261;
        foreach (char c in key)
        {
            h = (h ^ c) * 16777619;
        }

        return h;
    }
}
