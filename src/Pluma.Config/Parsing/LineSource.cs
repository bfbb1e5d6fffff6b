using System.Collections.Generic;

namespace Pluma.Config.Parsing;

/// <summary>
/// Logical lines of one config source, as httpd's <c>ap_cfg_getline</c>: a physical line ends at
/// its first NUL, a trailing backslash joins the next physical line, leading and trailing whitespace is dropped, and the line number
/// is that of the last physical line read (httpd reports errors there).
/// </summary>
internal sealed class LineSource
{
    private readonly string[] _lines;
    private int _next;

    public LineSource(string name, string text)
    {
        Name = name;
        _lines = text.Split('\n');
        if (_lines.Length > 0 && _lines[^1].Length == 0)
        {
            Array.Resize(ref _lines, _lines.Length - 1);
        }
    }

    public LineSource(string name, IReadOnlyList<string> lines)
    {
        Name = name;
        _lines = [.. lines];
    }

    public string Name { get; }

    /// <summary>Line number of the last line returned.</summary>
    public int LineNumber { get; private set; }

    public bool TryRead(out string line)
    {
        if (_next >= _lines.Length)
        {
            line = string.Empty;
            return false;
        }

        System.Text.StringBuilder? joined = null;
        string current = TrimEnd(_lines[_next++]);
        LineNumber = _next;
        while (current.Length > 0 && current[^1] == '\\' && _next < _lines.Length)
        {
            joined ??= new System.Text.StringBuilder();
            joined.Append(current, 0, current.Length - 1);
            current = TrimEnd(_lines[_next++]);
            LineNumber = _next;
        }

        if (joined is not null)
        {
            joined.Append(current);
            current = joined.ToString();
        }

        line = current.Trim();
        return true;
    }

    /// <summary>
    /// The physical line as httpd sees it: a C string ends at its first NUL, so the rest of the
    /// line is not read (Apache 2.4.71: "ServerName x\0Bogus" is Syntax OK), then trailing blanks go.
    /// </summary>
    private static string TrimEnd(string s)
    {
        int nul = s.IndexOf('\0', StringComparison.Ordinal);
        return (nul < 0 ? s : s[..nul]).TrimEnd(' ', '\t', '\r', '\f', '\v');
    }
}
