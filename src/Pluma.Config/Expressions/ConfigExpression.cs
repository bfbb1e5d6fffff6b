using System.Diagnostics.CodeAnalysis;

namespace Pluma.Config.Expressions;

/// <summary>
/// A parsed &lt;If&gt;/&lt;ElseIf&gt; condition: the subset of httpd's ap_expr that Pluma supports:
/// 'strings' and numbers with %{VAR} lookups, == != &lt; &lt;= &gt; &gt;=, -eq -ne -lt -le -gt -ge,
/// =~ and !~ with /regex/ or m#regex#, -ipmatch, -f -d -e -z -n, &amp;&amp; || ! and parentheses, true
/// and false, string functions (tolower(x) ...), word concatenation with ".", -in {list},
/// -strmatch, -strcmatch and -fnmatch. Anything else is refused at start-up with a clear message. Evaluation is cheap
/// and thread-safe; the regexes are built once at parse time.
/// </summary>
public sealed class ConfigExpression
{
    private readonly BoolNode _root;

    internal ConfigExpression(string text, BoolNode root)
    {
        Text = text;
        _root = root;
    }

    public string Text { get; }

    public static ConfigExpression Parse(string text)
    {
        if (!TryParse(text, out ConfigExpression? expression, out string? error))
        {
            throw new FormatException(error);
        }

        return expression;
    }

    /// <summary>Parses; on failure <paramref name="error"/> is the text httpd puts after "Cannot parse condition clause: ".</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out ConfigExpression? expression, [NotNullWhen(false)] out string? error)
    {
        var parser = new ExpressionParser(text);
        BoolNode? root = parser.Parse(out error);
        if (root is null)
        {
            expression = null;
            error ??= "syntax error";
            return false;
        }

        expression = new ConfigExpression(text, root);
        error = null;
        return true;
    }

    public bool Evaluate(IExpressionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _root.Evaluate(context);
    }

    public override string ToString() => Text;
}
