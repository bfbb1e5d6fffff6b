using System.Collections.Generic;

namespace Pluma.Modules.Autoindex;

/// <summary>mod_autoindex's per-directory record (autoindex_config_rec).</summary>
public sealed class AutoindexDirConfig
{
    /// <summary>Options set absolutely (an IndexOptions line without +/-), or null when only incremental.</summary>
    public IndexOptions? Options { get; set; }

    public IndexOptions OptionsAdd { get; set; }

    public IndexOptions OptionsRemove { get; set; }

    public List<IconRule> Icons { get; } = [];

    public List<IconRule> Alts { get; } = [];

    public List<IconRule> Descriptions { get; } = [];

    public List<IconRule> Ignore { get; } = [];

    public bool IgnoreReset { get; set; }

    public string? DefaultIcon { get; set; }

    public string? HeaderName { get; set; }

    public string? ReadmeName { get; set; }

    public string? HeadInsert { get; set; }

    public string? StyleSheet { get; set; }

    public string? Charset { get; set; }

    public string? ContentType { get; set; }

    public int? IconWidth { get; set; }

    public int? IconHeight { get; set; }

    /// <summary>NameWidth: null = unset (23), 0 = '*' (adjust to the longest name).</summary>
    public int? NameWidth { get; set; }

    public int? DescriptionWidth { get; set; }

    /// <summary>IndexOrderDefault: key letter (N M S D) and 'A' or 'D'.</summary>
    public char? DefaultKey { get; set; }

    public char? DefaultDirection { get; set; }

    public IndexOptions EffectiveOptions => ((Options ?? IndexOptions.None) | OptionsAdd) & ~OptionsRemove;

    /// <summary>merge_autoindex_configs: lists of the child come first, then the parent's; options merge incrementally.</summary>
    public static AutoindexDirConfig Merge(AutoindexDirConfig parent, AutoindexDirConfig child)
    {
        var m = new AutoindexDirConfig
        {
            DefaultIcon = child.DefaultIcon ?? parent.DefaultIcon,
            HeaderName = child.HeaderName ?? parent.HeaderName,
            ReadmeName = child.ReadmeName ?? parent.ReadmeName,
            HeadInsert = child.HeadInsert ?? parent.HeadInsert,
            StyleSheet = child.StyleSheet ?? parent.StyleSheet,
            Charset = child.Charset ?? parent.Charset,
            ContentType = child.ContentType ?? parent.ContentType,
            IconWidth = child.IconWidth ?? parent.IconWidth,
            IconHeight = child.IconHeight ?? parent.IconHeight,
            NameWidth = child.NameWidth ?? parent.NameWidth,
            DescriptionWidth = child.DescriptionWidth ?? parent.DescriptionWidth,
            DefaultKey = child.DefaultKey ?? parent.DefaultKey,
            DefaultDirection = child.DefaultDirection ?? parent.DefaultDirection,
            IgnoreReset = child.IgnoreReset,
        };
        if (child.Options is not null)
        {
            m.Options = child.Options;
            m.OptionsAdd = child.OptionsAdd;
            m.OptionsRemove = child.OptionsRemove;
        }
        else
        {
            m.Options = parent.EffectiveOptions;
            m.OptionsAdd = child.OptionsAdd;
            m.OptionsRemove = child.OptionsRemove;
        }

        m.Icons.AddRange(child.Icons);
        m.Icons.AddRange(parent.Icons);
        m.Alts.AddRange(child.Alts);
        m.Alts.AddRange(parent.Alts);
        m.Descriptions.AddRange(child.Descriptions);
        m.Descriptions.AddRange(parent.Descriptions);
        m.Ignore.AddRange(child.Ignore);
        if (!child.IgnoreReset)
        {
            m.Ignore.AddRange(parent.Ignore);
        }

        return m;
    }
}
