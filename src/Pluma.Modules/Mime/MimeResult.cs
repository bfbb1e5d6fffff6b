using System.Collections.Generic;

namespace Pluma.Modules.Mime;

/// <summary>What mod_mime's type checker decided for one file name.</summary>
public sealed class MimeResult
{
    /// <summary>Content type with the charset parameter applied, or null when no extension gave one.</summary>
    public string? ContentType { get; set; }

    /// <summary>Content encodings joined with ", " as Apache does, or null.</summary>
    public string? ContentEncoding { get; set; }

    public List<string> Languages { get; } = [];

    public string? Handler { get; set; }

    /// <summary>
    /// mod_mime's "ap-mime-exceptions-list": the base name, then each extension that said
    /// nothing MultiviewsMatch counts (MultiViews takes a file only if these are all part of
    /// the requested name). Filled only when <see cref="WantExceptions"/>.
    /// </summary>
    public List<string> Exceptions { get; } = [];

    /// <summary>Whether to fill <see cref="Exceptions"/> (a MultiViews candidate's lookup).</summary>
    public bool WantExceptions { get; set; }

    /// <summary>Whether any extension was recognised (with MultiviewsMatch Any: whether there was any).</summary>
    public bool FoundMetadata { get; set; }

    public void Clear()
    {
        Exceptions.Clear();
        FoundMetadata = false;
        ContentType = null;
        ContentEncoding = null;
        Languages.Clear();
        Handler = null;
    }
}
