using System.Collections.Generic;

namespace Pluma.Modules.Autoindex;

/// <summary>Everything one listing page shows; built by the handler from the directory, rendered by <see cref="IndexPage"/>.</summary>
public sealed record IndexPageModel
{
    /// <summary>The request URI (unescaped); trailing slashes are dropped in the title.</summary>
    public required string Uri { get; init; }

    /// <summary>Sorted rows, the parent entry first when there is one.</summary>
    public required IReadOnlyList<IndexEntry> Entries { get; init; }

    public IndexOptions Options { get; init; }

    public IndexSort Sort { get; init; } = IndexSort.Default;

    /// <summary>What the column links carry after "?C=x;O=y": ";F=n" when the client chose the format (mod_autoindex's colargs).</summary>
    public string ColumnArgs { get; init; } = string.Empty;

    /// <summary>The ^^BLANKICON^^ icon for the header row.</summary>
    public string? BlankIcon { get; init; }

    public string? DefaultIcon { get; init; }

    public int? IconWidth { get; init; }

    public int? IconHeight { get; init; }

    /// <summary>NameWidth: null = 23, 0 = '*'.</summary>
    public int? NameWidth { get; init; }

    /// <summary>DescriptionWidth: null = 23, 0 = '*'.</summary>
    public int? DescriptionWidth { get; init; }

    /// <summary>HeaderName's content when it is text/html (emitted as is, replacing the h1).</summary>
    public string? HeaderHtml { get; init; }

    /// <summary>HeaderName's content when it is other text/* (emitted in &lt;pre&gt;, escaped).</summary>
    public string? HeaderText { get; init; }

    public string? ReadmeHtml { get; init; }

    public string? ReadmeText { get; init; }

    public string? HeadInsert { get; init; }

    public string? StyleSheet { get; init; }

    /// <summary>ap_psignature("", r): the address line, or empty.</summary>
    public string Signature { get; init; } = string.Empty;
}
