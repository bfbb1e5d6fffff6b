namespace Pluma.Http;

/// <summary>
/// Response header fields in the order they were set (Apache's headers_out table): the
/// engine writes Date and Server first, these next, then Keep-Alive/Connection,
/// Transfer-Encoding and Content-Type, as Apache's header filter does.
/// </summary>
public sealed class HttpResponseHeaders
{
    private struct Entry
    {
        public string Name;
        public string? Value;
        public long Number;

        /// <summary>Length of a value kept as bytes in the arena (at <see cref="Number"/>), or -1.</summary>
        public int BytesLength;
    }

    private Entry[] _entries = new Entry[16];

    // Values set as bytes (ETag, Last-Modified, Content-Range of static files) live here until
    // the next request, so the hot path makes no strings; GetValue makes one only if asked.
    private byte[] _arena = new byte[256];
    private int _arenaUsed;

    internal HttpResponseHeaders()
    {
    }

    /// <summary>How many fields are set.</summary>
    public int Count { get; private set; }

    /// <summary>The name of field <paramref name="index"/>.</summary>
    public string GetName(int index) => _entries[Checked(index)].Name;

    /// <summary>The value of field <paramref name="index"/>.</summary>
    public string GetValue(int index)
    {
        ref Entry e = ref _entries[Checked(index)];
        if (e.BytesLength >= 0)
        {
            return System.Text.Encoding.Latin1.GetString(_arena, (int)e.Number, e.BytesLength);
        }

        return e.Value ?? e.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Copies field <paramref name="index"/>'s latin-1 bytes into <paramref name="destination"/> without making a string; false if they do not fit.</summary>
    public bool TryCopyValue(int index, Span<byte> destination, out int written)
    {
        ref Entry e = ref _entries[Checked(index)];
        if (e.BytesLength >= 0)
        {
            written = e.BytesLength;
            return _arena.AsSpan((int)e.Number, e.BytesLength).TryCopyTo(destination);
        }

        string value = e.Value ?? e.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        written = value.Length;
        return value.Length <= destination.Length && System.Text.Encoding.Latin1.TryGetBytes(value, destination, out written);
    }

    /// <summary>Appends a field, keeping any others of that name (apr_table_addn).</summary>
    public void Add(string name, string value) => Append(name, value, 0, -1);

    /// <summary>Replaces the first field of that name in place and drops the others, or appends (apr_table_setn).</summary>
    public void Set(string name, string value) => SetEntry(name, value, 0, -1);

    /// <summary>
    /// Like <see cref="Set(string, string)"/> with a latin-1 value given as bytes: the bytes are
    /// copied and no string is made unless someone reads the value back.
    /// </summary>
    public void Set(string name, ReadOnlySpan<byte> value)
    {
        if (_arenaUsed + value.Length > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaUsed + value.Length));
        }

        value.CopyTo(_arena.AsSpan(_arenaUsed));
        SetEntry(name, null, _arenaUsed, value.Length);
        _arenaUsed += value.Length;
    }

    /// <summary>
    /// Moves the fields from <paramref name="start"/> on in front of the others, in their order
    /// (Apache sends err_headers_out, where "Header always" writes, before headers_out).
    /// </summary>
    public void MoveToFront(int start)
    {
        if (start <= 0 || start >= Count)
        {
            return;
        }

        Entry[] moved = _entries[start..Count];
        Array.Copy(_entries, 0, _entries, moved.Length, start);
        moved.CopyTo(_entries, 0);
    }

    /// <summary>Replaces the value of field <paramref name="index"/> in place.</summary>
    public void SetAt(int index, string value)
    {
        ref Entry e = ref _entries[Checked(index)];
        e.Value = value;
        e.Number = 0;
        e.BytesLength = -1;
    }

    /// <summary>Removes every field named <paramref name="name"/>.</summary>
    public void Remove(string name)
    {
        int w = 0;
        for (int r = 0; r < Count; r++)
        {
            if (!SameName(_entries[r].Name, name))
            {
                _entries[w++] = _entries[r];
            }
        }

        Array.Clear(_entries, w, Count - w);
        Count = w;
    }

    /// <summary>The first value of <paramref name="name"/>, or null.</summary>
    public string? this[string name]
    {
        get
        {
            int i = IndexOf(name);
            return i < 0 ? null : GetValue(i);
        }
    }

    /// <summary>The index of the first field named <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name)
    {
        for (int i = 0; i < Count; i++)
        {
            if (SameName(_entries[i].Name, name))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Sets a numeric field without formatting a string (Content-Length on the hot path).</summary>
    internal void SetNumber(string name, long value) => SetEntry(name, null, value, -1);

    /// <summary>Field <paramref name="index"/> as a non-negative integer without making a string (Content-Length).</summary>
    internal bool TryGetNumber(int index, out long value)
    {
        ref Entry e = ref _entries[Checked(index)];
        if (e.BytesLength >= 0)
        {
            return System.Buffers.Text.Utf8Parser.TryParse(_arena.AsSpan((int)e.Number, e.BytesLength), out value, out int used) && used == e.BytesLength && value >= 0;
        }

        if (e.Value is null)
        {
            value = e.Number;
            return true;
        }

        return long.TryParse(e.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The value's length in characters, without formatting a number (20 covers any long).</summary>
    internal int GetValueLengthHint(int index)
    {
        ref Entry e = ref _entries[index];
        return e.BytesLength >= 0 ? e.BytesLength : e.Value?.Length ?? 20;
    }

    internal void Clear()
    {
        Array.Clear(_entries, 0, Count);
        Count = 0;
        _arenaUsed = 0;
    }

    /// <summary>
    /// Writes "Name: value\r\n" for field <paramref name="index"/>. Refuses (writing nothing that
    /// counts) a field whose name is not an RFC 9110 token or whose value holds a control
    /// character other than HTAB: CR, LF or NUL there would let request data split the response
    /// (Apache's check_headers in http_filters.c aborts the request the same way).
    /// </summary>
    internal FieldWrite TryWrite(int index, Span<byte> destination, out int written)
    {
        ref Entry e = ref _entries[index];
        written = 0;
        int need = e.Name.Length + 4 + (e.BytesLength >= 0 ? e.BytesLength : e.Value?.Length ?? 20);
        if (need > destination.Length)
        {
            return FieldWrite.NoRoom;
        }

        int n = System.Text.Encoding.Latin1.GetBytes(e.Name, destination);
        if (!HeaderFieldRules.IsToken(destination[..n]))
        {
            return FieldWrite.BadName;
        }

        destination[n++] = (byte)':';
        destination[n++] = (byte)' ';
        int valueStart = n;
        if (e.BytesLength >= 0)
        {
            _arena.AsSpan((int)e.Number, e.BytesLength).CopyTo(destination[n..]);
            n += e.BytesLength;
        }
        else if (e.Value is not null)
        {
            n += System.Text.Encoding.Latin1.GetBytes(e.Value, destination[n..]);
        }
        else
        {
            System.Buffers.Text.Utf8Formatter.TryFormat(e.Number, destination[n..], out int digits);
            n += digits;
        }

        // Checked on the bytes that would go out, after the latin-1 encoding.
        if (!HeaderFieldRules.IsFieldContent(destination[valueStart..n]))
        {
            return FieldWrite.BadValue;
        }

        destination[n++] = (byte)'\r';
        destination[n++] = (byte)'\n';
        written = n;
        return FieldWrite.Written;
    }

    private void SetEntry(string name, string? value, long number, int bytesLength)
    {
        int first = IndexOf(name);
        if (first < 0)
        {
            Append(name, value, number, bytesLength);
            return;
        }

        _entries[first].Value = value;
        _entries[first].Number = number;
        _entries[first].BytesLength = bytesLength;
        int w = first + 1;
        for (int r = first + 1; r < Count; r++)
        {
            if (!SameName(_entries[r].Name, name))
            {
                _entries[w++] = _entries[r];
            }
        }

        Array.Clear(_entries, w, Count - w);
        Count = w;
    }

    private void Append(string name, string? value, long number, int bytesLength)
    {
        if (Count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        _entries[Count++] = new Entry { Name = name, Value = value, Number = number, BytesLength = bytesLength };
    }

    /// <summary>
    /// Field names compare case-insensitively. Most names are the same interned literals, and
    /// most other pairs differ in length: both are settled here, without the call to the
    /// case-insensitive compare, which every lookup of a response ran for every field before it.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static bool SameName(string a, string b) =>
        ReferenceEquals(a, b) || (a.Length == b.Length && string.Equals(a, b, StringComparison.OrdinalIgnoreCase));

    private int Checked(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return index;
    }
}
