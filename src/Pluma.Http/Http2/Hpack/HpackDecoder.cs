namespace Pluma.Http.Http2.Hpack;

/// <summary>
/// Decodes complete header blocks (RFC 7541 3, 6) with one connection's dynamic table. A block
/// is decoded whole (the HEADERS and CONTINUATION fragments joined, bounded by the caller), so
/// no representation is ever cut. Strings are Huffman-decoded into a scratch buffer kept between
/// blocks: a warm decoder allocates nothing.
/// </summary>
public sealed class HpackDecoder
{
    private readonly HpackDynamicTable _table;
    private readonly int _maxHeaderListSize;
    private byte[] _scratch = new byte[256];

    /// <param name="maxTableSize">Our SETTINGS_HEADER_TABLE_SIZE (4096 unless announced otherwise).</param>
    /// <param name="maxHeaderListSize">Our SETTINGS_MAX_HEADER_LIST_SIZE (RFC 9113 6.5.2).</param>
    public HpackDecoder(int maxTableSize, int maxHeaderListSize)
    {
        _table = new HpackDynamicTable(maxTableSize);
        _maxHeaderListSize = maxHeaderListSize;
    }

    internal HpackDynamicTable Table => _table;

    /// <summary>
    /// Decodes one block into <paramref name="sink"/>. Throws <see cref="HpackException"/> on a
    /// decoding error (COMPRESSION_ERROR), or, after decoding the whole block so that the table
    /// stays in step, with <see cref="HpackException.IsListTooLarge"/> when the fields passed
    /// the header list limit (the fields past it are not passed on).
    /// </summary>
    public void Decode(ReadOnlySpan<byte> block, IHpackHeaderSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        int half = (block.Length * 8 / 5) + 8;
        if (_scratch.Length < 2 * half)
        {
            _scratch = new byte[2 * half];
        }

        long listSize = 0;
        bool fieldSeen = false;
        int pos = 0;
        while (pos < block.Length)
        {
            byte first = block[pos];
            ReadOnlySpan<byte> name;
            ReadOnlySpan<byte> value;
            if ((first & 0x80) != 0)
            {
                // Indexed field (6.1).
                int index = HpackInteger.Decode(block, ref pos, 7);
                name = NameAt(index);
                value = ValueAt(index);
            }
            else if ((first & 0xe0) == 0x20)
            {
                // Dynamic table size update (6.3): only before the first field (4.2).
                if (fieldSeen)
                {
                    throw new HpackException("dynamic table size update after a field");
                }

                _table.SetMaxSize(HpackInteger.Decode(block, ref pos, 5));
                continue;
            }
            else
            {
                bool index = (first & 0xc0) == 0x40;
                int nameIndex = HpackInteger.Decode(block, ref pos, index ? 6 : 4);
                Span<byte> nameScratch = _scratch.AsSpan(0, half);
                if (nameIndex == 0)
                {
                    name = ReadString(block, ref pos, nameScratch);
                }
                else if (index && nameIndex > HpackStaticTable.Count)
                {
                    // The entry may be evicted by the add below (4.4): copy the name first.
                    ReadOnlySpan<byte> source = NameAt(nameIndex);
                    source.CopyTo(nameScratch);
                    name = nameScratch[..source.Length];
                }
                else
                {
                    name = NameAt(nameIndex);
                }

                value = ReadString(block, ref pos, _scratch.AsSpan(half));
                if (index)
                {
                    _table.Add(name, value);
                }
            }

            fieldSeen = true;
            listSize += name.Length + value.Length + 32;
            if (listSize <= _maxHeaderListSize)
            {
                sink.OnHeader(name, value);
            }
        }

        if (listSize > _maxHeaderListSize)
        {
            throw new HpackException("header list too large") { IsListTooLarge = true };
        }
    }

    private ReadOnlySpan<byte> NameAt(int index)
    {
        if (index == 0)
        {
            throw new HpackException("index 0");
        }

        return index <= HpackStaticTable.Count ? HpackStaticTable.Name(index) : _table.Name(index - HpackStaticTable.Count - 1);
    }

    private ReadOnlySpan<byte> ValueAt(int index) =>
        index <= HpackStaticTable.Count ? HpackStaticTable.Value(index) : _table.Value(index - HpackStaticTable.Count - 1);

    // A string literal (5.2): H bit, 7-bit prefixed length, octets.
    private static ReadOnlySpan<byte> ReadString(ReadOnlySpan<byte> block, scoped ref int pos, Span<byte> scratch)
    {
        if (pos >= block.Length)
        {
            throw new HpackException("truncated string");
        }

        bool huffman = (block[pos] & 0x80) != 0;
        int length = HpackInteger.Decode(block, ref pos, 7);
        if (length > block.Length - pos)
        {
            throw new HpackException("string longer than its block");
        }

        ReadOnlySpan<byte> raw = block.Slice(pos, length);
        pos += length;
        if (!huffman)
        {
            return raw;
        }

        int n = Huffman.Decode(raw, scratch);
        return scratch[..n];
    }
}
