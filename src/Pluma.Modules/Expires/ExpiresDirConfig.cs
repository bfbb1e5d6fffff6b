using System.Collections.Generic;

namespace Pluma.Modules.Expires;

/// <summary>mod_expires' per-directory record (expires_dir_config) and its merge.</summary>
public sealed class ExpiresDirConfig
{
    /// <summary>ExpiresActive; null when the section does not say.</summary>
    public bool? Active { get; set; }

    public ExpiresCode? Default { get; set; }

    /// <summary>ExpiresByType, by media type (type/* for a whole major type).</summary>
    public Dictionary<string, ExpiresCode> ByType { get; private set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>merge_expires_dir_configs: the section's settings win; the type tables overlay.</summary>
    public static ExpiresDirConfig Merge(ExpiresDirConfig parent, ExpiresDirConfig child)
    {
        var merged = new ExpiresDirConfig
        {
            Active = child.Active ?? parent.Active,
            Default = child.Default ?? parent.Default,
        };
        if (child.ByType.Count == 0)
        {
            merged.ByType = parent.ByType;
        }
        else if (parent.ByType.Count == 0)
        {
            merged.ByType = child.ByType;
        }
        else
        {
            merged.ByType = new Dictionary<string, ExpiresCode>(parent.ByType, StringComparer.OrdinalIgnoreCase);
            foreach (var (type, code) in child.ByType)
            {
                merged.ByType[type] = code;
            }
        }

        return merged;
    }
}
