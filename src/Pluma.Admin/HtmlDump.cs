using System.Collections.Generic;
using System.Text;

namespace Pluma.Admin;

/// <summary>
/// HTML to plain text roughly as <c>www-browser -dump</c> (lynx) prints it: a three-column left margin,
/// blank lines between blocks, table cells on one line, <c>pre</c> kept verbatim, entities decoded, long
/// lines wrapped at 79 columns. Enough for mod_status's page, which is the only page it is for.
/// </summary>
internal static class HtmlDump
{
    private const int Width = 79;
    private const string Margin = "   ";

    public static string Render(string html)
    {
        var w = new Writer();
        int i = 0;
        int skipDepth = 0; // inside head/script/style/title
        bool pre = false;
        while (i < html.Length)
        {
            if (html[i] == '<')
            {
                int close = html.IndexOf('>', i + 1);
                if (close < 0)
                {
                    break;
                }

                string tag = html.Substring(i + 1, close - i - 1);
                i = close + 1;
                if (tag.StartsWith("!--", StringComparison.Ordinal))
                {
                    int end = html.IndexOf("-->", i - 1, StringComparison.Ordinal);
                    i = end < 0 ? html.Length : end + 3;
                    continue;
                }

                bool closing = tag.StartsWith('/');
                string name = TagName(closing ? tag[1..] : tag);
                if (name is "head" or "script" or "style" or "title")
                {
                    skipDepth = Math.Max(0, skipDepth + (closing ? -1 : 1));
                    continue;
                }

                if (skipDepth > 0)
                {
                    continue;
                }

                switch (name)
                {
                    case "br":
                        w.Break();
                        break;
                    case "p" or "div" or "dl" or "table" or "address" or "blockquote" or "ul" or "ol" or "form":
                    case "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                        w.Paragraph();
                        w.Indent = 0;
                        break;
                    case "pre":
                        w.Paragraph();
                        pre = !closing;
                        break;
                    case "hr":
                        w.Paragraph();
                        w.Raw(Margin + new string('_', Width - 2 * Margin.Length));
                        w.Paragraph();
                        break;
                    case "tr" or "dt":
                        w.Break();
                        w.Indent = 0;
                        break;
                    case "dd":
                        w.Break();
                        w.Indent = closing ? 0 : 3;
                        break;
                    case "li":
                        w.Break();
                        if (!closing)
                        {
                            w.Text("  * ", preserve: true);
                        }

                        break;
                    case "td" or "th":
                        if (!closing)
                        {
                            w.Space();
                        }

                        break;
                }

                continue;
            }

            int next = html.IndexOf('<', i);
            if (next < 0)
            {
                next = html.Length;
            }

            if (skipDepth == 0)
            {
                w.Text(Decode(html.AsSpan(i, next - i)), pre);
            }

            i = next;
        }

        return w.Finish();
    }

    private static string TagName(string tag)
    {
        int end = 0;
        while (end < tag.Length && char.IsAsciiLetterOrDigit(tag[end]))
        {
            end++;
        }

        return tag[..end].ToLowerInvariant();
    }

    internal static string Decode(ReadOnlySpan<char> text)
    {
        var sb = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            int semi;
            if (text[i] == '&' && (semi = text[i..].IndexOf(';')) > 1 && semi < 10)
            {
                ReadOnlySpan<char> entity = text.Slice(i + 1, semi - 1);
                string? decoded = entity switch
                {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    "nbsp" => " ",
                    _ => null,
                };
                if (decoded is null && entity.Length > 1 && entity[0] == '#')
                {
                    bool hex = entity[1] is 'x' or 'X';
                    if (int.TryParse(hex ? entity[2..] : entity[1..], hex ? System.Globalization.NumberStyles.HexNumber : System.Globalization.NumberStyles.None, null, out int code) && code is > 0 and < 0x110000)
                    {
                        decoded = char.ConvertFromUtf32(code);
                    }
                }

                if (decoded is not null)
                {
                    sb.Append(decoded);
                    i += semi;
                    continue;
                }
            }

            sb.Append(text[i]);
        }

        return sb.ToString();
    }

    // Accumulates words into margin-prefixed, wrapped lines.
    private sealed class Writer
    {
        private readonly StringBuilder _out = new();
        private readonly StringBuilder _line = new();
        private bool _pendingSpace;
        private int _blankLines = 2; // no blank lines at the top

        public int Indent { get; set; }

        public void Text(string text, bool preserve)
        {
            if (preserve)
            {
                string[] parts = text.Split('\n');
                for (int i = 0; i < parts.Length; i++)
                {
                    if (i > 0)
                    {
                        Break(force: true);
                    }

                    StartLine();
                    _line.Append(parts[i]);
                }

                return;
            }

            string[] words = text.Split([' ', '\t', '\r', '\n'], StringSplitOptions.None);
            for (int k = 0; k < words.Length; k++)
            {
                string word = words[k];
                if (k > 0)
                {
                    _pendingSpace |= _line.Length > 0;
                }

                if (word.Length == 0)
                {
                    continue;
                }

                StartLine();
                int prefix = Margin.Length + Indent;
                if (_pendingSpace && _line.Length + 1 + word.Length > Width && _line.Length > prefix)
                {
                    Break();
                    StartLine();
                }
                else if (_pendingSpace && _line.Length > prefix)
                {
                    _line.Append(' ');
                }

                _line.Append(word);
                _pendingSpace = false;
            }
        }

        public void Space() => _pendingSpace = _line.Length > 0;

        public void Raw(string line)
        {
            Break();
            _out.Append(line).Append('\n');
            _blankLines = 0;
        }

        public void Break(bool force = false)
        {
            if (_line.Length > 0 || force)
            {
                _out.Append(_line.ToString().TrimEnd()).Append('\n');
                _blankLines = _line.Length > 0 ? 0 : _blankLines + 1;
                _line.Clear();
            }

            _pendingSpace = false;
        }

        public void Paragraph()
        {
            Break();
            if (_blankLines == 0)
            {
                _out.Append('\n');
                _blankLines = 1;
            }
        }

        public string Finish()
        {
            Break();
            return _out.ToString().TrimEnd('\n') + "\n";
        }

        private void StartLine()
        {
            if (_line.Length == 0)
            {
                _line.Append(Margin).Append(' ', Indent);
            }
        }
    }
}
