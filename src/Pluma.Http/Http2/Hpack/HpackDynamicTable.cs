namespace Pluma.Http.Http2.Hpack;

/// <summary>
/// HPACK's dynamic table (RFC 7541 2.3.2, 4): newest entry first, evicted oldest first when its
/// size (name + value + 32 per entry) would pass the maximum. Entries live in one byte buffer of
/// twice the largest size allowed, appended at the end and compacted when the end is reached,
/// so adding an entry allocates nothing.
/// </summary>
internal sealed class HpackDynamicTable
{
    private const int EntryOverhead = 32;

    private readonly byte[] _data;
    private readonly Entry[] _entries;
    private int _dataEnd;
    private int _next; // slot of the next entry
    private int _count;
    private int _size;
    private int _maxSize;

    /// <param name="capacity">The largest size the table may ever be set to (SETTINGS_HEADER_TABLE_SIZE).</param>
    public HpackDynamicTable(int capacity)
    {
        Capacity = capacity;
        _maxSize = capacity;
        _data = new byte[Math.Max(2 * capacity, 64)];
        _entries = new Entry[(capacity / EntryOverhead) + 1];
    }

    public int Capacity { get; }

    public int Count => _count;

    /// <summary>Current size in RFC 7541 4.1 terms.</summary>
    public int Size => _size;

    public int MaxSize => _maxSize;

    /// <summary>Name of entry <paramref name="index"/> (0 is the newest).</summary>
    public ReadOnlySpan<byte> Name(int index)
    {
        ref Entry e = ref At(index);
        return _data.AsSpan(e.Start, e.NameLength);
    }

    public ReadOnlySpan<byte> Value(int index)
    {
        ref Entry e = ref At(index);
        return _data.AsSpan(e.Start + e.NameLength, e.ValueLength);
    }

    /// <summary>A dynamic table size update (4.3, 6.3): evicts until the table fits.</summary>
    public void SetMaxSize(int maxSize)
    {
        if ((uint)maxSize > (uint)Capacity)
        {
            throw new HpackException("dynamic table size update above the limit");
        }

        _maxSize = maxSize;
        EvictTo(maxSize);
    }

    /// <summary>
    /// Adds an entry (4.4): evicts to make room; an entry larger than the table empties it and is
    /// not added. <paramref name="name"/> and <paramref name="value"/> must not point into this table.
    /// </summary>
    public void Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        int entrySize = name.Length + value.Length + EntryOverhead;
        if (entrySize > _maxSize)
        {
            EvictTo(0);
            return;
        }

        EvictTo(_maxSize - entrySize);
        int length = name.Length + value.Length;
        if (_dataEnd + length > _data.Length)
        {
            Compact();
        }

        name.CopyTo(_data.AsSpan(_dataEnd));
        value.CopyTo(_data.AsSpan(_dataEnd + name.Length));
        _entries[_next] = new Entry(_dataEnd, name.Length, value.Length);
        _dataEnd += length;
        _next = (_next + 1) % _entries.Length;
        _count++;
        _size += entrySize;
    }

    private ref Entry At(int index)
    {
        if ((uint)index >= (uint)_count)
        {
            throw new HpackException("index outside the dynamic table");
        }

        int slot = _next - 1 - index;
        if (slot < 0)
        {
            slot += _entries.Length;
        }

        return ref _entries[slot];
    }

    private void EvictTo(int size)
    {
        while (_size > size && _count > 0)
        {
            ref Entry oldest = ref At(_count - 1);
            _size -= oldest.NameLength + oldest.ValueLength + EntryOverhead;
            _count--;
        }

        if (_count == 0)
        {
            _dataEnd = 0;
        }
    }

    // Live bytes run from the oldest entry to _dataEnd (appended in order, evicted oldest first).
    private void Compact()
    {
        if (_count == 0)
        {
            _dataEnd = 0;
            return;
        }

        int start = At(_count - 1).Start;
        _data.AsSpan(start, _dataEnd - start).CopyTo(_data);
        for (int i = 0; i < _count; i++)
        {
            At(i).Start -= start;
        }

        _dataEnd -= start;
    }

    private struct Entry(int start, int nameLength, int valueLength)
    {
        public int Start = start;
        public readonly int NameLength = nameLength;
        public readonly int ValueLength = valueLength;
    }
}
