using System.Text;

namespace Pluma.Http;

/// <summary>
/// The request's header fields in arrival order, duplicates kept, names compared without
/// regard to case. Names and values stay bytes in the connection's buffer until asked for
/// as strings (latin-1, as Apache keeps them: bytes, no decoding).
/// </summary>
public sealed class HttpRequestHeaders
{
    private struct Entry
    {
        public int NameStart;
        public int NameLength;
        public int ValueStart;
        public int ValueLength;
        public string? Name;
        public string? Value;
        public bool Folded;

        /// <summary>Set by a module (RequestHeader): name and value are strings only, no buffer bytes.</summary>
        public bool Synthetic;
    }

    private Entry[] _entries = new Entry[16];
    private byte[] _buffer = [];

    internal HttpRequestHeaders()
    {
    }

    /// <summary>How many field lines the request had.</summary>
    public int Count { get; private set; }

    /// <summary>The name of field <paramref name="index"/> as it was sent.</summary>
    public string GetName(int index)
    {
        ref Entry e = ref EntryAt(index);
        return e.Name ??= Encoding.Latin1.GetString(_buffer, e.NameStart, e.NameLength);
    }

    /// <summary>The value of field <paramref name="index"/>, surrounding whitespace removed.</summary>
    public string GetValue(int index)
    {
        ref Entry e = ref EntryAt(index);
        return e.Value ??= Encoding.Latin1.GetString(_buffer, e.ValueStart, e.ValueLength);
    }

    /// <summary>The raw name bytes of field <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> GetNameBytes(int index)
    {
        ref Entry e = ref EntryAt(index);
        if (e.Synthetic)
        {
            return Encoding.Latin1.GetBytes(e.Name!);
        }

        return _buffer.AsSpan(e.NameStart, e.NameLength);
    }

    /// <summary>The raw value bytes of field <paramref name="index"/> (folded values: the joined text).</summary>
    public ReadOnlySpan<byte> GetValueBytes(int index)
    {
        ref Entry e = ref EntryAt(index);
        return e.Folded || e.Synthetic ? Encoding.Latin1.GetBytes(e.Value!) : _buffer.AsSpan(e.ValueStart, e.ValueLength);
    }

    /// <summary>The index of the first field named <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name, int start = 0)
    {
        for (int i = start; i < Count; i++)
        {
            if (NameEquals(i, name))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether a field named <paramref name="name"/> is present.</summary>
    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>The first value of <paramref name="name"/>, or null.</summary>
    public string? this[string name]
    {
        get
        {
            int i = IndexOf(name);
            return i < 0 ? null : GetValue(i);
        }
    }

    /// <summary>The first value of <paramref name="name"/>.</summary>
    public bool TryGetValue(string name, out string value)
    {
        int i = IndexOf(name);
        value = i < 0 ? string.Empty : GetValue(i);
        return i >= 0;
    }

    /// <summary>Every value of <paramref name="name"/> joined with ", " (Apache's headers_in merge), or null.</summary>
    public string? GetCombined(string name)
    {
        int i = IndexOf(name);
        if (i < 0)
        {
            return null;
        }

        int next = IndexOf(name, i + 1);
        if (next < 0)
        {
            return GetValue(i);
        }

        var sb = new StringBuilder(GetValue(i));
        for (; next >= 0; next = IndexOf(name, next + 1))
        {
            sb.Append(", ").Append(GetValue(next));
        }

        return sb.ToString();
    }

    /// <summary>How many fields are named <paramref name="name"/>.</summary>
    public int CountOf(string name)
    {
        int n = 0;
        for (int i = 0; i < Count; i++)
        {
            if (NameEquals(i, name))
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>Whether field <paramref name="index"/> is named <paramref name="name"/> (ASCII, any case).</summary>
    public bool NameEquals(int index, string name)
    {
        ref Entry e = ref EntryAt(index);
        if (e.Synthetic)
        {
            return string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase);
        }

        if (e.NameLength != name.Length)
        {
            return false;
        }

        return Ascii.EqualsIgnoreCase(_buffer.AsSpan(e.NameStart, e.NameLength), name);
    }

    /// <summary>Whether any value of <paramref name="name"/> lists <paramref name="token"/> (comma list, any case).</summary>
    public bool HasToken(string name, string token)
    {
        for (int i = IndexOf(name); i >= 0; i = IndexOf(name, i + 1))
        {
            if (Internal.HeaderTokens.Contains(GetValueBytes(i), token))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether any field's name begins with "If-" (any case), as the five precondition fields'
    /// names do: one pass over the names, where looking each of them up took five.
    /// </summary>
    internal bool HasIfField()
    {
        for (int i = 0; i < Count; i++)
        {
            ref Entry e = ref _entries[i];
            if (e.Synthetic)
            {
                if (e.Name is { } name && name.StartsWith("If-", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
            else if (e.NameLength >= 3 && (_buffer[e.NameStart] | 0x20) == 'i' && (_buffer[e.NameStart + 1] | 0x20) == 'f' && _buffer[e.NameStart + 2] == '-')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The length of field <paramref name="index"/>'s value (folded values: the joined text).</summary>
    internal int GetValueLength(int index)
    {
        ref Entry e = ref EntryAt(index);
        return e.Folded || e.Synthetic ? e.Value!.Length : e.ValueLength;
    }

    /// <summary>Whether fields <paramref name="a"/> and <paramref name="b"/> have the same name (ASCII, any case).</summary>
    internal bool SameName(int a, int b) => EntryAt(a).Synthetic || EntryAt(b).Synthetic
        ? string.Equals(GetName(a), GetName(b), StringComparison.OrdinalIgnoreCase)
        : Ascii.EqualsIgnoreCase(GetNameBytes(a), GetNameBytes(b));

    /// <summary>Where an unfolded value sits in the buffer.</summary>
    internal bool TryGetValueRange(int index, out int start, out int length)
    {
        ref Entry e = ref EntryAt(index);
        start = e.ValueStart;
        length = e.ValueLength;
        return !e.Folded && !e.Synthetic;
    }

    internal void Reset(byte[] buffer)
    {
        Array.Clear(_entries, 0, Count);
        Count = 0;
        _buffer = buffer;
    }

    /// <summary>The connection grew its buffer: same offsets, new array.</summary>
    internal void Rebase(byte[] buffer) => _buffer = buffer;

    internal void Add(int nameStart, int nameLength, int valueStart, int valueLength)
    {
        if (Count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        _entries[Count++] = new Entry { NameStart = nameStart, NameLength = nameLength, ValueStart = valueStart, ValueLength = valueLength };
    }

    /// <summary>obs-fold: the rare path, so the joined value becomes a string at once.</summary>
    internal int Fold(int valueStart, int valueLength)
    {
        ref Entry e = ref _entries[Count - 1];
        string joined = GetValue(Count - 1) + " " + Encoding.Latin1.GetString(_buffer, valueStart, valueLength);
        e.Value = joined;
        e.Folded = true;
        return e.NameLength + 2 + joined.Length;
    }

    /// <summary>
    /// Adds a field at the end (mod_headers' RequestHeader add; apr_table_addn on headers_in).
    /// Only modules call this, after the engine has read the head: framing fields it has
    /// already acted on (Content-Length, Transfer-Encoding) are not read again.
    /// </summary>
    public void Append(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (Count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        _entries[Count++] = new Entry { Name = name, Value = value, Synthetic = true };
    }

    /// <summary>Replaces every field named <paramref name="name"/> by one with <paramref name="value"/> (apr_table_set), in the first one's place.</summary>
    public void Set(string name, string value)
    {
        int first = IndexOf(name);
        if (first < 0)
        {
            Append(name, value);
            return;
        }

        _entries[first] = new Entry { Name = GetName(first), Value = value, Synthetic = true };
        for (int i = IndexOf(name, first + 1); i >= 0; i = IndexOf(name, i))
        {
            RemoveAt(i);
        }
    }

    /// <summary>Replaces the value of field <paramref name="index"/>, its name kept.</summary>
    public void SetValue(int index, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string name = GetName(index);
        _entries[index] = new Entry { Name = name, Value = value, Synthetic = true };
    }

    /// <summary>Removes every field named <paramref name="name"/> (apr_table_unset).</summary>
    public void Remove(string name)
    {
        for (int i = IndexOf(name); i >= 0; i = IndexOf(name, i))
        {
            RemoveAt(i);
        }
    }

    /// <summary>Removes field <paramref name="index"/>; the later ones move up.</summary>
    public void RemoveAt(int index)
    {
        EntryAt(index);
        Array.Copy(_entries, index + 1, _entries, index, Count - index - 1);
        _entries[--Count] = default;
    }

    private ref Entry EntryAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return ref _entries[index];
    }
}
