using System.Globalization;
using System.Text;
using Pluma.Modules.Common;

namespace Pluma.Modules.Autoindex;

/// <summary>mod_autoindex's page (emit_head, output_directories, emit_tail) as a pure function of <see cref="IndexPageModel"/>.</summary>
public static class IndexPage
{
    private const string Doctype = "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"http://www.w3.org/TR/html4/strict.dtd\">\n";
    private const string DoctypeXhtml = "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\"\n \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n";
    private const int DefaultWidth = 23;

    public static string Render(IndexPageModel m)
    {
        var sb = new StringBuilder(2048 + (m.Entries.Count * 200));
        string title = Title(m.Uri);
        bool xhtml = (m.Options & IndexOptions.Xhtml) != 0;
        bool amble = (m.Options & IndexOptions.SuppressHtmlPreamble) == 0;
        if (m.HeaderHtml is not null)
        {
            if (amble)
            {
                Preamble(sb, m, title, xhtml);
            }

            sb.Append(m.HeaderHtml);
        }
        else if (m.HeaderText is not null)
        {
            Preamble(sb, m, title, xhtml);
            sb.Append("<pre>\n").Append(Html(m.HeaderText)).Append("</pre>\n");
        }
        else
        {
            Preamble(sb, m, title, xhtml);
            sb.Append("<h1>Index of ").Append(title).Append("</h1>\n");
        }

        if ((m.Options & IndexOptions.HtmlTable) != 0)
        {
            Table(sb, m, xhtml);
        }
        else if ((m.Options & IndexOptions.FancyIndexing) != 0)
        {
            Pre(sb, m, xhtml);
        }
        else
        {
            sb.Append("<ul>");
            foreach (IndexEntry e in m.Entries)
            {
                sb.Append("<li><a href=\"").Append(Anchor(e)).Append("\"> ").Append(Html(Display(e))).Append("</a></li>\n");
            }

            sb.Append("</ul>\n");
        }

        if (m.ReadmeHtml is not null)
        {
            sb.Append(m.ReadmeHtml);
        }
        else if (m.ReadmeText is not null)
        {
            sb.Append("<pre>\n").Append(Html(m.ReadmeText)).Append("</pre>\n");
        }

        // emit_tail: an HTML readme replaces the signature; SuppressHTMLPreamble also drops the closing tags.
        if (m.ReadmeHtml is null)
        {
            sb.Append(m.Signature);
        }

        if (m.ReadmeHtml is null || amble)
        {
            sb.Append("</body></html>\n");
        }

        return sb.ToString();
    }

    /// <summary>apr_strfsize: four characters ("  6 ", "2.9K", " 12M", "  - ").</summary>
    public static string StrFSize(long size)
    {
        if (size < 0)
        {
            return "  - ";
        }

        if (size < 973)
        {
            return size.ToString(CultureInfo.InvariantCulture).PadLeft(3) + " ";
        }

        const string ord = "KMGTPE";
        int o = 0;
        while (true)
        {
            long remain = size & 1023;
            size >>= 10;
            if (size >= 973)
            {
                o++;
                continue;
            }

            if (size < 9 || (size == 9 && remain < 973))
            {
                remain = ((remain * 5) + 256) / 512;
                if (remain >= 10)
                {
                    size++;
                    remain = 0;
                }

                return size.ToString(CultureInfo.InvariantCulture) + "." + remain.ToString(CultureInfo.InvariantCulture) + ord[o];
            }

            if (remain >= 512)
            {
                size++;
            }

            return size.ToString(CultureInfo.InvariantCulture).PadLeft(3) + ord[o];
        }
    }

    /// <summary>The href of an entry: its name (or the parent URI) escaped as a path, then for HTML.</summary>
    public static string Anchor(IndexEntry e)
    {
        string escaped = SelfUrl.EscapePath(e.Name);
        if (!e.IsParent)
        {
            // ap_os_escape_path(partial = 0): "a:b" would read as a scheme, so it becomes "./a:b".
            int colon = e.Name.IndexOf(':', StringComparison.Ordinal);
            int slash = e.Name.IndexOf('/', StringComparison.Ordinal);
            if (colon >= 0 && (slash < 0 || colon < slash))
            {
                escaped = "./" + escaped;
            }
        }

        return Html(escaped);
    }

    private static string Display(IndexEntry e) => e.IsParent ? "Parent Directory" : e.Name;

    private static string Title(string uri)
    {
        string t = uri;
        while (t.Length > 1 && t[^1] == '/')
        {
            t = t[..^1];
        }

        return Html(t);
    }

    private static void Preamble(StringBuilder sb, IndexPageModel m, string title, bool xhtml)
    {
        sb.Append(xhtml ? DoctypeXhtml : Doctype)
          .Append(xhtml ? "<html xmlns=\"http://www.w3.org/1999/xhtml\">\n" : "<html>\n")
          .Append(" <head>\n  <title>Index of ").Append(title).Append("</title>\n");
        if (m.StyleSheet is not null)
        {
            sb.Append("  <link rel=\"stylesheet\" href=\"").Append(m.StyleSheet).Append("\" type=\"text/css\"").Append(xhtml ? " />\n" : ">\n");
        }

        if (m.HeadInsert is not null)
        {
            sb.Append(m.HeadInsert);
        }

        sb.Append(" </head>\n <body>\n");
    }

    private static void Link(StringBuilder sb, IndexPageModel m, string label, char column)
    {
        if ((m.Options & IndexOptions.SuppressColumnSorting) != 0)
        {
            sb.Append(label);
            return;
        }

        char order = m.Sort.Key == column && m.Sort.Ascending ? 'D' : 'A';
        sb.Append("<a href=\"?C=").Append(column).Append(";O=").Append(order).Append(m.ColumnArgs).Append("\">").Append(label).Append("</a>");
    }

    private static void Icon(StringBuilder sb, IndexPageModel m, string src, string alt, bool xhtml)
    {
        sb.Append("<img src=\"").Append(Html(src)).Append("\" alt=\"").Append(alt).Append('"');
        if (m.IconWidth is int w)
        {
            sb.Append(" width=\"").Append(w).Append('"');
        }

        if (m.IconHeight is int h)
        {
            sb.Append(" height=\"").Append(h).Append('"');
        }

        sb.Append(xhtml ? " />" : ">");
    }

    private static void Table(StringBuilder sb, IndexPageModel m, bool xhtml)
    {
        IndexOptions o = m.Options;
        bool icons = (o & IndexOptions.SuppressIcon) == 0;
        int cols = 1;
        sb.Append("  <table>\n   <tr>");
        if (icons)
        {
            if (m.BlankIcon is not null)
            {
                sb.Append("<th valign=\"top\">");
                Icon(sb, m, m.BlankIcon, "[ICO]", xhtml);
                sb.Append("</th>");
            }
            else
            {
                sb.Append("<th>&nbsp;</th>");
            }

            cols++;
        }

        sb.Append("<th>");
        Link(sb, m, "Name", 'N');
        if ((o & IndexOptions.SuppressLastModified) == 0)
        {
            sb.Append("</th><th>");
            Link(sb, m, "Last modified", 'M');
            cols++;
        }

        if ((o & IndexOptions.SuppressSize) == 0)
        {
            sb.Append("</th><th>");
            Link(sb, m, "Size", 'S');
            cols++;
        }

        if ((o & IndexOptions.SuppressDescription) == 0)
        {
            sb.Append("</th><th>");
            Link(sb, m, "Description", 'D');
            cols++;
        }

        sb.Append("</th></tr>\n");
        string rule = "   <tr><th colspan=\"" + cols.ToString(CultureInfo.InvariantCulture) + "\"><hr" + (xhtml ? " /" : string.Empty) + "></th></tr>\n";
        if ((o & IndexOptions.SuppressRules) == 0)
        {
            sb.Append(rule);
        }

        foreach (IndexEntry e in m.Entries)
        {
            string anchor = Anchor(e);
            sb.Append("<tr>");
            if (icons)
            {
                sb.Append("<td valign=\"top\">");
                if ((o & IndexOptions.IconsAreLinks) != 0)
                {
                    sb.Append("<a href=\"").Append(anchor).Append("\">");
                }

                if ((e.Icon ?? m.DefaultIcon) is string icon)
                {
                    Icon(sb, m, icon, "[" + (e.Alt ?? "   ") + "]", xhtml);
                }
                else
                {
                    sb.Append("&nbsp;");
                }

                sb.Append((o & IndexOptions.IconsAreLinks) != 0 ? "</a></td>" : "</td>");
            }

            sb.Append("<td><a href=\"").Append(anchor).Append("\">").Append(Html(Display(e))).Append("</a>");
            if ((o & IndexOptions.SuppressLastModified) == 0)
            {
                if (e.LastModified is DateTimeOffset lm)
                {
                    sb.Append("</td><td align=\"right\">").Append(lm.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append("  ");
                }
                else
                {
                    sb.Append("</td><td>&nbsp;");
                }
            }

            if ((o & IndexOptions.SuppressSize) == 0)
            {
                sb.Append("</td><td align=\"right\">").Append(StrFSize(e.Size));
            }

            if ((o & IndexOptions.SuppressDescription) == 0)
            {
                sb.Append(e.Description is null ? "</td><td>&nbsp;" : "</td><td>" + Describe(e.Description, m.DescriptionWidth));
            }

            sb.Append("</td></tr>\n");
        }

        if ((o & IndexOptions.SuppressRules) == 0)
        {
            sb.Append(rule);
        }

        sb.Append("</table>\n");
    }

    private static void Pre(StringBuilder sb, IndexPageModel m, bool xhtml)
    {
        IndexOptions o = m.Options;
        bool icons = (o & IndexOptions.SuppressIcon) == 0;
        int nameWidth = m.NameWidth is null or > 0 ? m.NameWidth ?? DefaultWidth : DefaultWidth;
        if (m.NameWidth == 0)
        {
            foreach (IndexEntry e in m.Entries)
            {
                nameWidth = Math.Max(nameWidth, e.Name.Length);
            }
        }

        sb.Append("<pre>");
        if (icons)
        {
            if (m.BlankIcon is not null)
            {
                Icon(sb, m, m.BlankIcon, "Icon ", xhtml);
                sb.Append(' ');
            }
            else
            {
                sb.Append("      ");
            }
        }

        Link(sb, m, "Name", 'N');
        sb.Append(' ', Math.Max(0, nameWidth - 4)).Append(' ');
        if ((o & IndexOptions.SuppressLastModified) == 0)
        {
            Link(sb, m, "Last modified", 'M');
            sb.Append("      ");
        }

        if ((o & IndexOptions.SuppressSize) == 0)
        {
            Link(sb, m, "Size", 'S');
            sb.Append("  ");
        }

        if ((o & IndexOptions.SuppressDescription) == 0)
        {
            Link(sb, m, "Description", 'D');
        }

        sb.Append((o & IndexOptions.SuppressRules) == 0 ? (xhtml ? "<hr />" : "<hr>") : "\n");
        foreach (IndexEntry e in m.Entries)
        {
            string anchor = Anchor(e);
            if (icons)
            {
                if ((o & IndexOptions.IconsAreLinks) != 0)
                {
                    sb.Append("<a href=\"").Append(anchor).Append("\">");
                }

                if ((e.Icon ?? m.DefaultIcon) is string icon)
                {
                    Icon(sb, m, icon, "[" + (e.Alt ?? "   ") + "]", xhtml);
                }
                else
                {
                    sb.Append("     ");
                }

                sb.Append((o & IndexOptions.IconsAreLinks) != 0 ? "</a> " : " ");
            }

            string shown = Display(e);
            if (shown.Length > nameWidth)
            {
                shown = string.Concat(shown.AsSpan(0, nameWidth - 3), "..>");
            }

            sb.Append("<a href=\"").Append(anchor).Append("\">").Append(Html(shown)).Append("</a>")
              .Append(' ', nameWidth - shown.Length).Append(' ');
            if ((o & IndexOptions.SuppressLastModified) == 0)
            {
                // A row without a date keeps the column with blanks (19 wide, as Apache prints it).
                sb.Append(e.LastModified is DateTimeOffset lm ? lm.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + "  " : new string(' ', 19));
            }

            if ((o & IndexOptions.SuppressSize) == 0)
            {
                sb.Append(StrFSize(e.Size)).Append("  ");
            }

            if ((o & IndexOptions.SuppressDescription) == 0 && e.Description is not null)
            {
                sb.Append(Describe(e.Description, m.DescriptionWidth));
            }

            sb.Append('\n');
        }

        if ((o & IndexOptions.SuppressRules) == 0)
        {
            sb.Append(xhtml ? "<hr /></pre>\n" : "<hr></pre>\n");
        }
        else
        {
            sb.Append("</pre>\n");
        }
    }

    // terminate_description: cut visible text at the width, with "&gt;" marking the cut.
    private static string Describe(string desc, int? width)
    {
        if (width == 0)
        {
            return desc;
        }

        int w = width ?? DefaultWidth;
        int visible = 0;
        for (int i = 0; i < desc.Length; i++)
        {
            char c = desc[i];
            if (c == '<')
            {
                int close = desc.IndexOf('>', i);
                if (close < 0)
                {
                    break;
                }

                i = close;
                continue;
            }

            if (++visible > w)
            {
                return string.Concat(desc.AsSpan(0, i - 1), "&gt;");
            }
        }

        return desc;
    }

    /// <summary>ap_escape_html: &amp; &lt; &gt; &quot;.</summary>
    public static string Html(string s)
    {
        if (s.AsSpan().IndexOfAny("<>&\"") < 0)
        {
            return s;
        }

        return s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);
    }
}
