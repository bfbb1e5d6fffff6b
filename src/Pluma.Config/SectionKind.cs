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
}
