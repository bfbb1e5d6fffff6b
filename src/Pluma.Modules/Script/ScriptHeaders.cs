using System.Collections.Generic;
using System.Text;

namespace Pluma.Modules.Script;

/// <summary>
/// The header block a script writes before its body (RFC 3875 section 6.2), read as Apache's
/// ap_scan_script_header_err_core_ex reads it, fed with the script's output as it arrives
/// (mod_cgi's pipe, proxy_fcgi's FCGI_STDOUT records): lines end at LF, every CR is dropped, a
/// line longer than Apache's MAX_STRING_LEN is cut there, and the block ends at the first empty
/// line. A line without ':' makes the response a 500 ("malformed header from script").
/// <see cref="ScriptResponse"/> applies the result to a request.
/// </summary>
public sealed class ScriptHeaders
{
    /// <summary>Apache's MAX_STRING_LEN (HUGE_STRING_LEN, 8192) less the terminating NUL.</summary>
    public const int MaxLine = 8191;

    private readonly StringBuilder _line = new();
    private readonly List<KeyValuePair<string, string>> _fields = [];
    private readonly List<KeyValuePair<string, string>> _cookies = [];

    /// <summary>The empty line that ends the block was read; what follows is the body.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>The first line without ':' (the block is refused), or null.</summary>
    public string? MalformedLine { get; private set; }

    /// <summary>Whether any header line was read (Apache's first_header is false).</summary>
    public bool HasAnyField { get; private set; }

    /// <summary>The status number of a <c>Status:</c> line (atoi of its text), or null when the script sent none.</summary>
    public int? Status { get; private set; }

    /// <summary>The text of the <c>Status:</c> line ("404 Not Found"), Apache's r->status_line.</summary>
    public string? StatusLine { get; private set; }

    /// <summary>Content-Type, its type and subtype lower-cased (ap_content_type_tolower), trailing space removed.</summary>
    public string? ContentType { get; private set; }

    /// <summary>The last <c>Location:</c> value, or null.</summary>
    public string? Location { get; private set; }

    /// <summary>
    /// Every other field in the order sent: Content-Length, Content-Range, ETag and Last-Modified
    /// replace an earlier one of the same name (apr_table_set); other repeated fields are joined
    /// with ", " (apr_table_overlap with MERGE), except Set-Cookie, which stays one field per line.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;

    /// <summary>The Set-Cookie values, each sent as its own field.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Cookies => _cookies;

    /// <summary>Whether <see cref="Status"/> is one Apache accepts (ap_is_HTTP_VALID_RESPONSE: 100-599).</summary>
    public bool HasValidStatus => Status is null or (>= 100 and <= 599);

    /// <summary>
    /// The answer mod_cgi and proxy_fcgi give a Location: with status 200 (none sent): a path
    /// beginning with '/' is served in place of the request as a GET (ap_internal_redirect_handler),
    /// anything else becomes Apache's 302 page. Any other status sends the script's response as is.
    /// </summary>
    public ScriptRedirect Redirect =>
        Location is null || (Status ?? 200) != 200 ? ScriptRedirect.None
        : Location.StartsWith('/') ? ScriptRedirect.Local : ScriptRedirect.External;

    /// <summary>
    /// What Apache logs when the output ends before the empty line: "End of script output before
    /// headers" when no line came at all, "Premature end of script headers" otherwise.
    /// </summary>
    public string EndOfOutputMessage => HasAnyField ? "Premature end of script headers" : "End of script output before headers";

    /// <summary>
    /// Reads header bytes from <paramref name="data"/>; returns how many it took. It stops after
    /// the empty line (<see cref="IsComplete"/>: the rest is body) or at a malformed line.
    /// </summary>
    public int Feed(ReadOnlySpan<byte> data)
    {
        int i = 0;
        while (i < data.Length && !IsComplete && MalformedLine is null)
        {
            byte b = data[i++];
            if (b == (byte)'\n')
            {
                EndLine();
            }
            else if (b != (byte)'\r')
            {
                _line.Append((char)b); // bytes as Latin-1 chars: a field's bytes go out unchanged
                if (_line.Length >= MaxLine)
                {
                    EndLine(); // getsfunc stops at the buffer's end; the rest is read as the next line
                }
            }
        }

        return i;
    }

    private void EndLine()
    {
        string w = _line.ToString();
        _line.Clear();
        if (w.Length == 0)
        {
            IsComplete = true;
            return;
        }

        int colon = w.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            MalformedLine = w;
            return;
        }

        string name = w[..colon];
        int start = colon + 1;
        while (start < w.Length && IsSpace(w[start]))
        {
            start++;
        }

        string value = w[start..];
        HasAnyField = true;
        if (name.Equals("Content-type", StringComparison.OrdinalIgnoreCase))
        {
            ContentType = LowerType(value.TrimEnd(' ', '\t', '\v', '\f'));
        }
        else if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
        {
            Status = Atoi(value);
            StatusLine = value;
        }
        else if (name.Equals("Location", StringComparison.OrdinalIgnoreCase))
        {
            Location = value;
        }
        else if (name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase))
        {
            _cookies.Add(new(name, value));
        }
        else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Range", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) || name.Equals("ETag", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Last-Modified", StringComparison.OrdinalIgnoreCase))
        {
            Put(name, value, merge: false);
        }
        else
        {
            Put(name, value, merge: true);
        }
    }

    private void Put(string name, string value, bool merge)
    {
        for (int i = 0; i < _fields.Count; i++)
        {
            if (string.Equals(_fields[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                _fields[i] = new(_fields[i].Key, merge ? _fields[i].Value + ", " + value : value);
                return;
            }
        }

        _fields.Add(new(name, value));
    }

    /// <summary>ap_content_type_tolower: only the part before the first ';' is lower-cased.</summary>
    private static string LowerType(string value)
    {
        int semi = value.IndexOf(';', StringComparison.Ordinal);
        return semi < 0 ? value.ToLowerInvariant() : value[..semi].ToLowerInvariant() + value[semi..];
    }

    /// <summary>C's atoi: optional space and sign, then digits; 0 when none.</summary>
    private static int Atoi(string s)
    {
        int i = 0;
        while (i < s.Length && IsSpace(s[i]))
        {
            i++;
        }

        bool negative = i < s.Length && s[i] == '-';
        if (i < s.Length && s[i] is '-' or '+')
        {
            i++;
        }

        long n = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]) && n < int.MaxValue)
        {
            n = n * 10 + (s[i++] - '0');
        }

        n = Math.Min(n, int.MaxValue);
        return (int)(negative ? -n : n);
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';
}

/// <summary>What a script's Location: asks for (see <see cref="ScriptHeaders.Redirect"/>).</summary>
public enum ScriptRedirect
{
    /// <summary>No Location, or one with an explicit status: the response goes out as the script wrote it.</summary>
    None,

    /// <summary>A local path: serve it instead, as GET, and discard the script's body.</summary>
    Local,

    /// <summary>An absolute URL: Apache's 302 page with that Location, the script's body discarded.</summary>
    External,
}
