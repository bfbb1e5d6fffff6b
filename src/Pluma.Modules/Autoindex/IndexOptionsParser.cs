using System.Collections.Generic;

namespace Pluma.Modules.Autoindex;

/// <summary>IndexOptions words (add_opts): plain keywords set the options absolutely, +/- ones incrementally.</summary>
public static class IndexOptionsParser
{
    private const int DefaultIconWidth = 20;
    private const int DefaultIconHeight = 22;

    public static string? Apply(AutoindexDirConfig d, IReadOnlyList<string> words)
    {
        IndexOptions? opts = d.Options;
        IndexOptions add = d.OptionsAdd, remove = d.OptionsRemove;
        bool none = false;
        foreach (string word in words)
        {
            char action = word.Length > 0 && word[0] is '+' or '-' ? word[0] : '\0';
            string w = action == '\0' ? word : word[1..];
            IndexOptions option = Keyword(w);
            if (option == IndexOptions.None)
            {
                if (Is(w, "None"))
                {
                    if (action != '\0')
                    {
                        return "Cannot combine '+' or '-' with 'None' keyword";
                    }

                    none = true;
                    (opts, add, remove) = (IndexOptions.None, IndexOptions.None, IndexOptions.None);
                    continue;
                }

                string? error = Setting(d, w, action);
                if (error is not null)
                {
                    return error;
                }

                continue;
            }

            if (none)
            {
                return "Cannot combine other IndexOptions keywords with 'None'";
            }

            switch (action)
            {
                case '\0':
                    opts = (opts ?? IndexOptions.None) | option;
                    add = IndexOptions.None;
                    remove = IndexOptions.None;
                    break;
                case '+':
                    add |= option;
                    remove &= ~option;
                    break;
                default:
                    remove |= option;
                    add &= ~option;
                    break;
            }
        }

        (d.Options, d.OptionsAdd, d.OptionsRemove) = (opts, add, remove);
        return null;
    }

    private static string? Setting(AutoindexDirConfig d, string w, char action)
    {
        if (Is(w, "IconWidth"))
        {
            d.IconWidth = action != '-' ? DefaultIconWidth : null;
        }
        else if (Starts(w, "IconWidth="))
        {
            if (action == '-')
            {
                return "Cannot combine '-' with IconWidth=n";
            }

            d.IconWidth = Pluma.Config.DirectiveBinders.CAtoi(w.AsSpan(10));
        }
        else if (Is(w, "IconHeight"))
        {
            d.IconHeight = action != '-' ? DefaultIconHeight : null;
        }
        else if (Starts(w, "IconHeight="))
        {
            if (action == '-')
            {
                return "Cannot combine '-' with IconHeight=n";
            }

            d.IconHeight = Pluma.Config.DirectiveBinders.CAtoi(w.AsSpan(11));
        }
        else if (Is(w, "NameWidth"))
        {
            if (action != '-')
            {
                return "NameWidth with no value may only appear as '-NameWidth'";
            }

            d.NameWidth = 23;
        }
        else if (Starts(w, "NameWidth="))
        {
            if (action == '-')
            {
                return "Cannot combine '-' with NameWidth=n";
            }

            if (w.Length > 10 && w[10] == '*')
            {
                d.NameWidth = 0;
            }
            else
            {
                int width = Pluma.Config.DirectiveBinders.CAtoi(w.AsSpan(10));
                if (width != 0 && width < 5)
                {
                    return "NameWidth value must be greater than 5";
                }

                d.NameWidth = width == 0 ? 23 : width;
            }
        }
        else if (Is(w, "DescriptionWidth"))
        {
            if (action != '-')
            {
                return "DescriptionWidth with no value may only appear as '-DescriptionWidth'";
            }

            d.DescriptionWidth = 23;
        }
        else if (Starts(w, "DescriptionWidth="))
        {
            if (action == '-')
            {
                return "Cannot combine '-' with DescriptionWidth=n";
            }

            if (w.Length > 17 && w[17] == '*')
            {
                d.DescriptionWidth = 0;
            }
            else
            {
                int width = Pluma.Config.DirectiveBinders.CAtoi(w.AsSpan(17));
                if (width != 0 && width < 12)
                {
                    return "DescriptionWidth value must be greater than 12";
                }

                d.DescriptionWidth = width == 0 ? 23 : width;
            }
        }
        else if (Starts(w, "Type="))
        {
            d.ContentType = w[5..];
        }
        else if (Starts(w, "Charset="))
        {
            d.Charset = w[8..];
        }
        else if (!Is(w, "UseOldDateFormat"))
        {
            return "Invalid directory indexing option";
        }

        return null;
    }

    private static IndexOptions Keyword(string w) => w.ToLowerInvariant() switch
    {
        "fancyindexing" => IndexOptions.FancyIndexing,
        "foldersfirst" => IndexOptions.FoldersFirst,
        "htmltable" => IndexOptions.HtmlTable,
        "iconsarelinks" => IndexOptions.IconsAreLinks,
        "ignorecase" => IndexOptions.IgnoreCase,
        "ignoreclient" => IndexOptions.IgnoreClient,
        "scanhtmltitles" => IndexOptions.ScanHtmlTitles,
        "suppresscolumnsorting" => IndexOptions.SuppressColumnSorting,
        "suppressdescription" => IndexOptions.SuppressDescription,
        "suppresshtmlpreamble" => IndexOptions.SuppressHtmlPreamble,
        "suppressicon" => IndexOptions.SuppressIcon,
        "suppresslastmodified" => IndexOptions.SuppressLastModified,
        "suppresssize" => IndexOptions.SuppressSize,
        "suppressrules" => IndexOptions.SuppressRules,
        "trackmodified" => IndexOptions.TrackModified,
        "versionsort" => IndexOptions.VersionSort,
        "xhtml" => IndexOptions.Xhtml,
        "showforbidden" => IndexOptions.ShowForbidden,
        "addaltclass" => IndexOptions.AddAltClass,
        _ => IndexOptions.None,
    };

    private static bool Is(string a, string b) => a.Equals(b, StringComparison.OrdinalIgnoreCase);

    private static bool Starts(string a, string b) => a.StartsWith(b, StringComparison.OrdinalIgnoreCase);
}
