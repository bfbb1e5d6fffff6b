using System.Collections.Generic;

namespace Pluma.Modules.Headers;

/// <summary>mod_headers' per-directory record: Header onsuccess (fixup_out), Header always (fixup_err) and RequestHeader (fixup_in), in order.</summary>
public sealed class HeadersDirConfig
{
    public List<HeaderEntry> OnSuccess { get; } = [];

    public List<HeaderEntry> Always { get; } = [];

    /// <summary>RequestHeader entries (fixup_in), in order.</summary>
    public List<HeaderEntry> Input { get; } = [];

    public bool IsEmpty => OnSuccess.Count == 0 && Always.Count == 0 && Input.Count == 0;

    public bool HasOutput => OnSuccess.Count > 0 || Always.Count > 0;

    /// <summary>merge_headers_config: the parent's entries, then the section's.</summary>
    public static HeadersDirConfig Merge(HeadersDirConfig parent, HeadersDirConfig child)
    {
        if (child.IsEmpty)
        {
            return parent;
        }

        if (parent.IsEmpty)
        {
            return child;
        }

        var merged = new HeadersDirConfig();
        merged.OnSuccess.AddRange(parent.OnSuccess);
        merged.OnSuccess.AddRange(child.OnSuccess);
        merged.Always.AddRange(parent.Always);
        merged.Always.AddRange(child.Always);
        merged.Input.AddRange(parent.Input);
        merged.Input.AddRange(child.Input);
        return merged;
    }
}
