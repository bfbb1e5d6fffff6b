namespace Pluma.Modules.Autoindex;

/// <summary>IndexOptions flags (mod_autoindex.c's option bits).</summary>
[Flags]
public enum IndexOptions
{
    None = 0,
    FancyIndexing = 1 << 0,
    IconsAreLinks = 1 << 1,
    ScanHtmlTitles = 1 << 2,
    SuppressLastModified = 1 << 3,
    SuppressSize = 1 << 4,
    SuppressDescription = 1 << 5,
    SuppressHtmlPreamble = 1 << 6,
    SuppressColumnSorting = 1 << 7,
    SuppressIcon = 1 << 8,
    SuppressRules = 1 << 9,
    FoldersFirst = 1 << 10,
    VersionSort = 1 << 11,
    TrackModified = 1 << 12,
    HtmlTable = 1 << 13,
    Xhtml = 1 << 14,
    ShowForbidden = 1 << 15,
    IgnoreClient = 1 << 16,
    IgnoreCase = 1 << 17,
    AddAltClass = 1 << 18,
}
