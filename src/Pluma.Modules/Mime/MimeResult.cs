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

    public void Clear()
    {
        ContentType = null;
        ContentEncoding = null;
        Languages.Clear();
        Handler = null;
    }
}
