using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace Pluma.Config.Expressions;

/// <summary>Recursive-descent parser for the ap_expr subset described on <see cref="ConfigExpression"/>.</summary>
internal sealed class ExpressionParser
{
    // The request variables ap_expr knows (server/util_expr_eval.c's request_var_names and
    // friends); an unknown %{NAME} is refused at start-up as httpd refuses it.
    private static readonly HashSet<string> s_knownVariables = new(StringComparer.OrdinalIgnoreCase)
    {
        "HTTP_ACCEPT", "HTTP_COOKIE", "HTTP_FORWARDED", "HTTP_HOST", "HTTP_PROXY_CONNECTION", "HTTP_REFERER",
        "HTTP_USER_AGENT", "REQUEST_METHOD", "SCRIPT_FILENAME", "REMOTE_HOST", "REMOTE_IDENT", "REMOTE_USER",
        "SERVER_ADMIN", "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "SCRIPT_USER", "SCRIPT_GROUP",
        "PATH_INFO", "QUERY_STRING", "IS_SUBREQ", "DOCUMENT_ROOT", "AUTH_TYPE", "THE_REQUEST", "CONTENT_TYPE",
        "HANDLER", "REQUEST_LOG_ID", "REQUEST_SCHEME", "REQUEST_STATUS", "REQUEST_URI", "REQUEST_FILENAME",
        "REMOTE_ADDR", "REMOTE_PORT", "CONN_LOG_ID", "CONN_REMOTE_ADDR", "CONTEXT_PREFIX", "CONTEXT_DOCUMENT_ROOT",
        "HTTPS", "IPV6", "SERVER_SOFTWARE", "API_VERSION", "TIME_YEAR", "TIME_MON", "TIME_DAY", "TIME_HOUR",
        "TIME_MIN", "TIME_SEC", "TIME_WDAY", "TIME", "SERVER_ADDR", "REMOTE_ADDR", "HTTP2", "SSL_PROTOCOL",
    };

    private static readonly string[] s_unaryOps = ["-f", "-d", "-e", "-z", "-n"];
    private static readonly string[] s_binaryOps = ["-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-ipmatch", "-in", "-strmatch", "-strcmatch", "-fnmatch"];

    private readonly string _text;
    private int _pos;
    private string? _error;

    public ExpressionParser(string text) => _text = text;

    public BoolNode? Parse(out string? error)
    {
        BoolNode? root = ParseOr();
        SkipSpace();
        if (root is not null && _pos < _text.Length)
        {
            Fail("syntax error, unexpected '" + _text[_pos..] + "'");
            root = null;
        }

        error = _error;
        return _error is null ? root : null;
    }

    /// <summary>The whole text as a string expression (ap_expr_parse with AP_EXPR_FLAG_STRING_RESULT).</summary>
    public StringNode? ParseString(out string? error)
    {
        StringNode? root = ParseStringBody(_text);
        error = _error;
        return _error is null ? root : null;
    }

    private BoolNode? ParseOr()
    {
        BoolNode? left = ParseAnd();
        while (left is not null && Accept("||"))
        {
            BoolNode? right = ParseAnd();
            left = right is null ? null : new OrNode(left, right);
        }

        return left;
    }

    private BoolNode? ParseAnd()
    {
        BoolNode? left = ParseUnary();
        while (left is not null && Accept("&&"))
        {
            BoolNode? right = ParseUnary();
            left = right is null ? null : new AndNode(left, right);
        }

        return left;
    }

    private BoolNode? ParseUnary()
    {
        SkipSpace();
        if (Peek() == '!' && PeekAt(1) != '=' && PeekAt(1) != '~')
        {
            _pos++;
            BoolNode? inner = ParseUnary();
            return inner is null ? null : new NotNode(inner);
        }

        return ParsePrimary();
    }

    private BoolNode? ParsePrimary()
    {
        SkipSpace();
        if (_pos >= _text.Length)
        {
            return Fail("syntax error, unexpected $end");
        }

        if (Accept("("))
        {
            BoolNode? inner = ParseOr();
            if (inner is null)
            {
                return null;
            }

            return Accept(")") ? inner : Fail(_pos >= _text.Length ? "syntax error, unexpected $end" : "syntax error, expecting ')'");
        }

        if (AcceptKeyword("true"))
        {
            return new ConstantNode(true);
        }

        if (AcceptKeyword("false"))
        {
            return new ConstantNode(false);
        }

        if (Peek() == '-' && PeekAt(1) is >= 'a' and <= 'z' or >= 'A' and <= 'Z')
        {
            string op = ReadDashOperator();
            if (Array.IndexOf(s_unaryOps, op) < 0)
            {
                return Fail(Array.IndexOf(s_binaryOps, op) >= 0
                    ? "syntax error, unexpected " + op
                    : "Pluma does not support the unary operator '" + op + "' yet");
            }

            StringNode? operand = ParseWord();
            return operand is null ? null : new UnaryTestNode(op, operand);
        }

        StringNode? left = ParseWord();
        if (left is null)
        {
            return null;
        }

        SkipSpace();
        if (Accept("=~") || Accept("!~"))
        {
            bool negate = _text[_pos - 2] == '!';
            Regex? regex = ParseRegex();
            return regex is null ? null : new RegexNode(left, regex, negate);
        }

        string? cmp = AcceptAny("==", "!=", "<=", ">=", "=", "<", ">");
        if (cmp is null && Peek() == '-')
        {
            cmp = ReadDashOperator();
            if (Array.IndexOf(s_binaryOps, cmp) < 0)
            {
                return Fail("Binary operator '" + cmp + "' does not exist");
            }
        }

        if (cmp is null)
        {
            return Fail(_pos >= _text.Length ? "syntax error, unexpected $end" : "syntax error, unexpected '" + _text[_pos..] + "'");
        }

        if (cmp == "-in")
        {
            StringNode[]? list = ParseList();
            return list is null ? null : new InListNode(left, list);
        }

        StringNode? right = ParseWord();
        if (right is not null && cmp is "-strmatch" or "-strcmatch" or "-fnmatch")
        {
            return new WildcardNode(left, right, cmp == "-strcmatch", cmp == "-fnmatch");
        }

        return right is null ? null : new CompareNode(cmp, left, right);
    }

    /// <summary>A word, or words joined with '.' (ap_expr's string concatenation).</summary>
    private StringNode? ParseWord()
    {
        StringNode? first = ParseAtom();
        if (first is null)
        {
            return null;
        }

        List<StringNode>? parts = null;
        while (Accept("."))
        {
            StringNode? next = ParseAtom();
            if (next is null)
            {
                return null;
            }

            (parts ??= [first]).Add(next);
        }

        return parts is null ? first : new ConcatNode([.. parts]);
    }

    private StringNode? ParseAtom()
    {
        SkipSpace();
        if (_pos >= _text.Length)
        {
            Fail("syntax error, unexpected $end");
            return null;
        }

        char c = _text[_pos];
        if (c is '\'' or '"')
        {
            int end = _pos + 1;
            while (end < _text.Length && _text[end] != c)
            {
                end += _text[end] == '\\' && end + 1 < _text.Length ? 2 : 1;
            }

            if (end >= _text.Length)
            {
                Fail("syntax error, unterminated string");
                return null;
            }

            string body = _text[(_pos + 1)..end];
            _pos = end + 1;
            return ParseStringBody(body);
        }

        if (c == '%' && PeekAt(1) == '{')
        {
            return ParseVariable(_text, ref _pos);
        }

        if (char.IsAsciiDigit(c))
        {
            int start = _pos;
            while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
            {
                _pos++;
            }

            return new LiteralNode(_text[start.._pos]);
        }

        if (char.IsAsciiLetter(c))
        {
            int start = _pos;
            while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
            {
                _pos++;
            }

            string id = _text[start.._pos];
            if (!Accept("("))
            {
                Fail("syntax error, unexpected T_ID '" + id + "'");
                return null;
            }

            StringNode? argument = ParseWord();
            if (argument is null)
            {
                return null;
            }

            if (!Accept(")"))
            {
                Fail("syntax error, expecting ')'");
                return null;
            }

            return Call(id, argument);
        }

        Fail(c == '{'
            ? "syntax error, unexpected '{'"
            : "syntax error, unexpected '" + c + "'");
        return null;
    }

    /// <summary>-in's right side: { word, word, ... }.</summary>
    private StringNode[]? ParseList()
    {
        if (!Accept("{"))
        {
            Fail("Pluma does not support list functions in expressions yet");
            return null;
        }

        List<StringNode> items = [];
        do
        {
            StringNode? item = ParseWord();
            if (item is null)
            {
                return null;
            }

            items.Add(item);
        }
        while (Accept(","));

        if (!Accept("}"))
        {
            Fail("syntax error, expecting '}'");
            return null;
        }

        return [.. items];
    }

    /// <summary>name(arg) or %{name:arg}: a lookup or a string function, else Apache's message.</summary>
    private StringNode? Call(string name, StringNode argument)
    {
        if (StringFunctions.LookupPrefix(name) is { } prefix)
        {
            return new LookupNode(prefix, argument);
        }

        if (StringFunctions.Find(name) is { } function)
        {
            return new FunctionNode(function, argument);
        }

        Fail("Function '" + name + "' does not exist");
        return null;
    }

    /// <summary>
    /// A string in ap_expr's string mode (a quoted word, or a whole string expression): literal
    /// text, %{VAR}, %{func:string}, and a backslash that makes the next character literal.
    /// </summary>
    internal StringNode? ParseStringBody(string body)
    {
        List<StringNode> parts = [];
        var literal = new System.Text.StringBuilder();
        int i = 0;
        while (i < body.Length)
        {
            if (body[i] == '\\' && i + 1 < body.Length)
            {
                literal.Append(body[i + 1]);
                i += 2;
                continue;
            }

            if (body[i] == '%' && i + 1 < body.Length && body[i + 1] == '{')
            {
                if (literal.Length > 0)
                {
                    parts.Add(new LiteralNode(literal.ToString()));
                    literal.Clear();
                }

                StringNode? variable = ParseVariable(body, ref i);
                if (variable is null)
                {
                    return null;
                }

                parts.Add(variable);
                continue;
            }

            literal.Append(body[i++]);
        }

        if (literal.Length > 0 || parts.Count == 0)
        {
            parts.Add(new LiteralNode(literal.ToString()));
        }

        return parts.Count == 1 ? parts[0] : new ConcatNode([.. parts]);
    }

    /// <summary>%{NAME} or %{name:string} at <paramref name="pos"/> in <paramref name="text"/> (braces may nest).</summary>
    private StringNode? ParseVariable(string text, ref int pos)
    {
        int start = pos + 2;
        int depth = 1;
        int colon = -1;
        int end = start;
        for (; end < text.Length; end++)
        {
            char c = text[end];
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && --depth == 0)
            {
                break;
            }
            else if (c == ':' && depth == 1 && colon < 0)
            {
                colon = end;
            }
        }

        if (end >= text.Length)
        {
            Fail("Unterminated string or variable");
            return null;
        }

        pos = end + 1;
        if (colon < 0)
        {
            string name = text[start..end];
            return CheckVariable(name) ? new VariableNode(name) : null;
        }

        string function = text[start..colon];
        StringNode? argument = ParseStringBody(text[(colon + 1)..end]);
        return argument is null ? null : Call(function, argument);
    }

    private bool CheckVariable(string name)
    {
        int colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            string prefix = name[..colon];
            if (prefix.Equals("HTTP", StringComparison.OrdinalIgnoreCase)
                || prefix.Equals("ENV", StringComparison.OrdinalIgnoreCase)
                || prefix.Equals("REQ", StringComparison.OrdinalIgnoreCase)
                || prefix.Equals("RESP", StringComparison.OrdinalIgnoreCase)
                || prefix.Equals("OSENV", StringComparison.OrdinalIgnoreCase)
                || prefix.Equals("NOTE", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        else if (s_knownVariables.Contains(name))
        {
            return true;
        }

        Fail("Variable '" + name + "' does not exist");
        return false;
    }

    private Regex? ParseRegex()
    {
        SkipSpace();
        char open = Peek();
        int start;
        char close;
        if (open == '/')
        {
            close = '/';
            start = _pos + 1;
        }
        else if (open == 'm' && _pos + 1 < _text.Length && !char.IsAsciiLetterOrDigit(_text[_pos + 1]) && !char.IsWhiteSpace(_text[_pos + 1]))
        {
            close = _text[_pos + 1];
            start = _pos + 2;
        }
        else
        {
            Fail("syntax error, expecting a regular expression");
            return null;
        }

        int end = start;
        while (end < _text.Length && _text[end] != close)
        {
            end += _text[end] == '\\' && end + 1 < _text.Length ? 2 : 1;
        }

        if (end >= _text.Length)
        {
            Fail("syntax error, unterminated regular expression");
            return null;
        }

        string pattern = _text[start..end];
        _pos = end + 1;
        var options = RegexOptions.CultureInvariant;
        if (Peek() == 'i')
        {
            options |= RegexOptions.IgnoreCase;
            _pos++;
        }

        try
        {
            return new Regex(pattern, options);
        }
        catch (ArgumentException)
        {
            Fail("Failed to compile regular expression");
            return null;
        }
    }

    private string ReadDashOperator()
    {
        int start = _pos;
        _pos++;
        while (_pos < _text.Length && char.IsAsciiLetter(_text[_pos]))
        {
            _pos++;
        }

        return _text[start.._pos];
    }

    private BoolNode? Fail(string message)
    {
        _error ??= message;
        return null;
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private char PeekAt(int offset) => _pos + offset < _text.Length ? _text[_pos + offset] : '\0';

    private bool Accept(string token)
    {
        SkipSpace();
        if (string.CompareOrdinal(_text, _pos, token, 0, token.Length) == 0)
        {
            _pos += token.Length;
            return true;
        }

        return false;
    }

    private string? AcceptAny(params string[] tokens)
    {
        foreach (string t in tokens)
        {
            if (Accept(t))
            {
                return t;
            }
        }

        return null;
    }

    private bool AcceptKeyword(string word)
    {
        SkipSpace();
        if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) == 0
            && (_pos + word.Length >= _text.Length || !char.IsAsciiLetterOrDigit(_text[_pos + word.Length])))
        {
            _pos += word.Length;
            return true;
        }

        return false;
    }
}
