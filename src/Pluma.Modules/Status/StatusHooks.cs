using System.Collections.Generic;
using System.Text;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Status;

/// <summary>
/// mod_status's status_hook: what other modules add at the end of the page (mod_ssl's "SSL/TLS
/// Session Cache Status"), run after the scoreboard and before the signature, in the HTML form
/// and in ?auto. A hook runs only where its module is loaded.
/// </summary>
public static class StatusHooks
{
    private static readonly List<(string Module, Action<RequestRecord, StatusHookFlags, StringBuilder> Hook)> s_hooks = [];
    private static readonly System.Threading.Lock s_lock = new();

    /// <summary>Registers <paramref name="hook"/> for <paramref name="module"/> (at module creation, once).</summary>
    public static void Register(string module, Action<RequestRecord, StatusHookFlags, StringBuilder> hook)
    {
        lock (s_lock)
        {
            s_hooks.RemoveAll(h => h.Module == module);
            s_hooks.Add((module, hook));
        }
    }

    /// <summary>The hooks' text for this request (empty when none is loaded).</summary>
    public static string Run(RequestRecord r, StatusHookFlags flags)
    {
        (string Module, Action<RequestRecord, StatusHookFlags, StringBuilder> Hook)[] hooks;
        lock (s_lock)
        {
            hooks = [.. s_hooks];
        }

        var sb = new StringBuilder();
        foreach ((string module, Action<RequestRecord, StatusHookFlags, StringBuilder> hook) in hooks)
        {
            if (r.Runtime.Find(module) is not null)
            {
                hook(r, flags, sb);
            }
        }

        return sb.ToString();
    }
}

/// <summary>AP_STATUS_SHORT (?auto), AP_STATUS_NOTABLE, AP_STATUS_EXTENDED.</summary>
[Flags]
public enum StatusHookFlags
{
    None = 0,
    Short = 1,
    NoTable = 2,
    Extended = 4,
}
