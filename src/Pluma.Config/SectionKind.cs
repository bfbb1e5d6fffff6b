namespace Pluma.Config;

/// <summary>The per-directory section a directive sits in (None: the server level).</summary>
public enum SectionKind
{
    None,
    Directory,
    DirectoryMatch,
    Files,
    FilesMatch,
    Location,
    LocationMatch,
    If,
    ElseIf,
    Else,

    /// <summary>mod_proxy's &lt;Proxy&gt;/&lt;ProxyMatch&gt;: kept by the module, never in the server's section walk.</summary>
    Proxy,
}
