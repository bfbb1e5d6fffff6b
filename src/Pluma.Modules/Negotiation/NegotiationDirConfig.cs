using System.Collections.Generic;

namespace Pluma.Modules.Negotiation;

/// <summary>mod_negotiation's per-directory record (neg_dir_config): LanguagePriority and ForceLanguagePriority.</summary>
public sealed class NegotiationDirConfig
{
    public ForceLanguagePriority ForceLanguagePriority { get; set; }

    /// <summary>LanguagePriority as written (null: not set here).</summary>
    public List<string>? LanguagePriority { get; set; }

    /// <summary>merge_neg_dir_configs: the inner section's values win where set.</summary>
    public static NegotiationDirConfig Merge(NegotiationDirConfig parent, NegotiationDirConfig child) => new()
    {
        ForceLanguagePriority = child.ForceLanguagePriority != ForceLanguagePriority.Undefined ? child.ForceLanguagePriority : parent.ForceLanguagePriority,
        LanguagePriority = child.LanguagePriority ?? parent.LanguagePriority,
    };

    /// <summary>set_force_priority for one word; returns Apache's error text or null.</summary>
    public string? AddForcePriority(string word)
    {
        if (word.Equals("None", StringComparison.OrdinalIgnoreCase))
        {
            if ((ForceLanguagePriority & ~ForceLanguagePriority.None) != 0)
            {
                return "Cannot combine ForceLanguagePriority options with None";
            }

            ForceLanguagePriority = ForceLanguagePriority.None;
        }
        else if (word.Equals("Prefer", StringComparison.OrdinalIgnoreCase))
        {
            if ((ForceLanguagePriority & ForceLanguagePriority.None) != 0)
            {
                return "Cannot combine ForceLanguagePriority options None and Prefer";
            }

            ForceLanguagePriority |= ForceLanguagePriority.Prefer;
        }
        else if (word.Equals("Fallback", StringComparison.OrdinalIgnoreCase))
        {
            if ((ForceLanguagePriority & ForceLanguagePriority.None) != 0)
            {
                return "Cannot combine ForceLanguagePriority options None and Fallback";
            }

            ForceLanguagePriority |= ForceLanguagePriority.Fallback;
        }
        else
        {
            return "Invalid ForceLanguagePriority option " + word;
        }

        return null;
    }
}
