using System.Collections.Generic;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.LogConfig;

/// <summary>
/// LogFormat letters another module provides (mod_log_config's log_pfn_register, which mod_ssl
/// calls for <c>%{VAR}x</c> and <c>%{...}c</c>). A letter is recognised only where its module is
/// loaded, as in Apache, where the module registers it from its pre_config hook.
/// </summary>
public static class ModuleLogItems
{
    private static readonly Dictionary<char, Entry> s_items = [];
    private static readonly System.Threading.Lock s_lock = new();

    /// <summary>What one letter prints for a request and the item's {argument} (null prints "-").</summary>
    public sealed record Entry(string Module, Func<RequestRecord, string, string?> Handler);

    /// <summary>Registers <paramref name="letter"/> for <paramref name="module"/> (at module creation; the last registration wins).</summary>
    public static void Register(char letter, string module, Func<RequestRecord, string, string?> handler)
    {
        lock (s_lock)
        {
            s_items[letter] = new Entry(module, handler);
        }
    }

    public static Entry? Find(char letter)
    {
        lock (s_lock)
        {
            return s_items.GetValueOrDefault(letter);
        }
    }
}
