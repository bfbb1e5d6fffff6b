using System.Collections.Generic;
using System.Globalization;

namespace Pluma.Modules.Negotiation;

/// <summary>
/// A parsed type map (a .var file under <c>AddHandler type-map</c>): RFC 822-style sections
/// separated by blank lines, '#' comment lines, indented continuation lines, and the headers
/// URI, Content-Type (with qs, level, charset), Content-Length, Content-Language,
/// Content-Encoding, Description and Body (inline content up to an end tag), as
/// mod_negotiation.c's read_type_map reads them.
/// </summary>
public sealed class TypeMap
{
    // MAX_STRING_LEN: the longest line, and the window a Body: and its end tag must fit in.
    private const int MaxLine = 8192;

    public List<Variant> Variants { get; } = [];

    /// <summary>The AH-tagged complaint about a malformed map, or null.</summary>
    public string? Error { get; private set; }

    /// <summary>A header without ':' or without a value: the request fails with 500. Other errors only stop the reading.</summary>
    public bool IsFatal { get; private set; }

    /// <summary>Reads <paramref name="text"/> (the map's bytes as Latin-1, so offsets are byte offsets) named <paramref name="mapPath"/>.</summary>
    public static TypeMap Parse(string text, string mapPath)
    {
        var map = new TypeMap();
        int pos = 0;
        var v = new Variant();
        bool hasContent = false;
        string mapName = mapPath[(mapPath.LastIndexOf('/') + 1)..];
        while (true)
        {
            LineKind kind = NextHeader(text, ref pos, out string line);
            if (kind == LineKind.Header)
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    map.Fail("AH00681: Syntax error in type map, no ':' in " + mapPath + " for header " + line.ToLowerInvariant().TrimEnd('\n', '\r'), fatal: true);
                    return map;
                }

                string name = line[..colon].ToLowerInvariant();
                int b = colon + 1;
                while (b < line.Length && AcceptParser.IsSpace(line[b]))
                {
                    b++;
                }

                if (b == line.Length)
                {
                    map.Fail("AH00682: Syntax error in type map --- no header body: " + mapPath + " for " + name + line[colon..].TrimEnd('\n', '\r'), fatal: true);
                    return map;
                }

                string body = StripParenComments(line[b..]);
                int p = 0;
                switch (name)
                {
                    case "uri":
                        v.FileName = AcceptParser.Token(body, ref p, acceptWhite: false);
                        break;
                    case "content-type":
                        v.SetMimeFields(AcceptParser.ParseEntry(body, ref p));
                        hasContent = true;
                        break;
                    case "content-length":
                        string number = AcceptParser.Token(body, ref p, acceptWhite: false);
                        if (!long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) || n < 0)
                        {
                            map.Fail("AH00684: Parse error in type map, Content-Length: '" + number + "' in " + mapPath + " is invalid.", fatal: false);
                            return map;
                        }

                        v.Bytes = n;
                        hasContent = true;
                        break;
                    case "content-language":
                        v.ContentLanguages = Languages(body);
                        hasContent = true;
                        break;
                    case "content-encoding":
                        v.ContentEncoding = AcceptParser.Token(body, ref p, acceptWhite: false);
                        hasContent = true;
                        break;
                    case "description":
                        string desc = body.Replace('\n', ' ');
                        v.Description = desc.Length > 0 ? desc[..^1] : desc;
                        break;
                    case "body":
                        string tag = body.TrimEnd(' ', '\t', '\n', '\r', '\v', '\f');
                        if (!ReadBody(text, ref pos, tag, out long offset, out long length))
                        {
                            map.Fail("AH00685: Syntax error in type map, no end tag '" + tag + "'found in " + mapPath + " for Body: content.", fatal: false);
                            return map;
                        }

                        v.BodyOffset = offset;
                        v.Bytes = length;
                        v.FileName = mapName;
                        break;
                }

                continue;
            }

            // A blank line or the end closes the section: it is a variant if it named a file and said something about it.
            if (v.FileName.Length > 0 && hasContent)
            {
                map.Variants.Add(v);
            }

            v = new Variant();
            hasContent = false;
            if (kind == LineKind.End)
            {
                return map;
            }
        }
    }

    private void Fail(string message, bool fatal)
    {
        Error = message;
        IsFatal = fatal;
    }

    private enum LineKind
    {
        End,
        Header,
        Separator,
    }

    /// <summary>get_header_line: the next non-comment line with its continuation lines folded in (each keeps its newline).</summary>
    private static LineKind NextHeader(string text, ref int pos, out string line)
    {
        do
        {
            if (pos >= text.Length)
            {
                line = string.Empty;
                return LineKind.End;
            }

            line = ReadLine(text, ref pos);
        }
        while (line.StartsWith('#'));

        if (line.AsSpan().Trim(" \t\n\r\v\f").IsEmpty)
        {
            return LineKind.Separator;
        }

        if (line.StartsWith("Body:", StringComparison.OrdinalIgnoreCase))
        {
            return LineKind.Header;
        }

        var folded = new System.Text.StringBuilder(line);
        while (pos < text.Length)
        {
            char c = text[pos];
            if (c == '#')
            {
                // A comment line inside a header: skipped, the header may continue after it.
                int nl = text.IndexOf('\n', pos);
                pos = nl < 0 ? text.Length : nl + 1;
            }
            else if (AcceptParser.IsSpace(c))
            {
                int p = pos;
                while (p < text.Length && text[p] != '\n' && AcceptParser.IsSpace(text[p]))
                {
                    p++;
                }

                if (p >= text.Length || text[p] == '\n')
                {
                    pos = p; // a blank line follows: it ends the section next time round
                    break;
                }

                int end = text.IndexOf('\n', p);
                int stop = end < 0 ? text.Length : end;
                folded.Append(text, p, stop - p).Append('\n');
                pos = end < 0 ? text.Length : end + 1;
            }
            else
            {
                break;
            }
        }

        line = folded.ToString();
        return LineKind.Header;
    }

    private static string ReadLine(string text, ref int pos)
    {
        int nl = text.IndexOf('\n', pos);
        int end = nl < 0 ? text.Length : Math.Min(nl + 1, pos + MaxLine - 1);
        if (end - pos > MaxLine - 1)
        {
            end = pos + MaxLine - 1;
        }

        string line = text[pos..end];
        pos = end;
        return line;
    }

    /// <summary>get_body: the content after a Body: line up to <paramref name="tag"/>, within the same 8 KiB window; the reading goes on after the tag's line.</summary>
    private static bool ReadBody(string text, ref int pos, string tag, out long offset, out long length)
    {
        offset = pos;
        length = 0;
        int window = Math.Min(text.Length - pos, MaxLine - tag.Length);
        if (window < 0 || tag.Length == 0)
        {
            return false;
        }

        int at = text.IndexOf(tag, pos, window, StringComparison.Ordinal);
        if (at < 0 || at + tag.Length > pos + window)
        {
            return false;
        }

        length = at - pos;
        int after = text.IndexOf('\n', at + tag.Length);
        pos = after < 0 ? text.Length : after + 1;
        return true;
    }

    /// <summary>do_languages_line: the comma (or semicolon) separated languages, lowercased.</summary>
    private static List<string> Languages(string body)
    {
        var list = new List<string>(2);
        int p = 0;
        while (p < body.Length)
        {
            list.Add(AcceptParser.Token(body, ref p, acceptWhite: false).ToLowerInvariant());
            if (p < body.Length && body[p] is ',' or ';')
            {
                p++;
            }
        }

        return list;
    }

    /// <summary>strip_paren_comments: (comments) become spaces.</summary>
    private static string StripParenComments(string header)
    {
        if (!header.Contains('(', StringComparison.Ordinal))
        {
            return header;
        }

        // Apache's loop steps over a quote without looking for its end, so quotes protect nothing.
        char[] c = header.ToCharArray();
        int i = 0;
        while (i < c.Length)
        {
            if (c[i] == '(')
            {
                while (i < c.Length && c[i] != ')')
                {
                    c[i++] = ' ';
                }

                if (i < c.Length)
                {
                    c[i++] = ' ';
                }
            }
            else
            {
                i++;
            }
        }

        return new string(c);
    }
}
