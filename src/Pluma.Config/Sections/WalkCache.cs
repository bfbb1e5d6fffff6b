using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Threading;

namespace Pluma.Config.Sections;

/// <summary>
/// A cache of section-walk results keyed by physical path, bounded in bytes (the keys are
/// client-chosen paths up to LimitRequestLine long, so a bound by count is no bound). A hit is
/// one lookup and allocates nothing. When an entry would take the cache over its budget, the
/// entries no request used since the last eviction go (the others get a second chance); if
/// every entry was used, everything goes, as Apache keeps nothing beyond the request pool.
/// </summary>
internal sealed class WalkCache<TValue>
    where TValue : class
{
    // A string's header, length and terminator, a ConcurrentDictionary node and our slot.
    private const int EntryOverheadBytes = 24 + 48 + 32;

    private readonly ConcurrentDictionary<string, Slot> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly long _budgetBytes;
    private long _bytes;

    public WalkCache(long budgetBytes)
    {
        _budgetBytes = budgetBytes;
    }

    /// <summary>The bytes the entries are estimated to hold (for tests).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public int Count => _entries.Count;

    /// <summary>What one entry for <paramref name="key"/> costs, with a value of <paramref name="valueBytes"/>.</summary>
    public static long EntryBytes(string key, long valueBytes) => EntryOverheadBytes + 2L * key.Length + valueBytes;

    public bool TryGet(string key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_entries.TryGetValue(key, out Slot? slot))
        {
            slot.Used = true;
            value = slot.Value;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>Keeps <paramref name="value"/> under <paramref name="key"/>, evicting first if the budget demands it.</summary>
    public void Add(string key, TValue value, long valueBytes)
    {
        long cost = EntryBytes(key, valueBytes);
        if (cost > _budgetBytes / 16)
        {
            // One entry may not push out a sixteenth of the others.
            return;
        }

        lock (_gate)
        {
            if (_bytes + cost > _budgetBytes)
            {
                Evict();
            }

            if (_entries.TryAdd(key, new Slot(value, cost)))
            {
                _bytes += cost;
            }
        }
    }

    /// <summary>Keeps <paramref name="value"/> under <paramref name="key"/>, replacing what was there.</summary>
    public void Set(string key, TValue value, long valueBytes)
    {
        lock (_gate)
        {
            if (_entries.TryRemove(key, out Slot? old))
            {
                _bytes -= old.Cost;
            }
        }

        Add(key, value, valueBytes);
    }

    // Under _gate. Entries unused since the last eviction go; when that frees less than a
    // quarter of the budget, everything goes (the working set is larger than the cache).
    private void Evict()
    {
        foreach (var (key, slot) in _entries)
        {
            if (slot.Used)
            {
                slot.Used = false;
            }
            else if (_entries.TryRemove(key, out _))
            {
                _bytes -= slot.Cost;
            }
        }

        if (_bytes > _budgetBytes * 3 / 4)
        {
            _entries.Clear();
            _bytes = 0;
        }
    }

    private sealed class Slot(TValue value, long cost)
    {
        public TValue Value { get; } = value;

        public long Cost { get; } = cost;

        public bool Used { get; set; }
    }
}
