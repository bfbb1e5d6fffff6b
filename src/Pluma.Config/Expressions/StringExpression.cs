using System.Diagnostics.CodeAnalysis;

namespace Pluma.Config.Expressions;

/// <summary>
/// An ap_expr string expression, as mod_headers' <c>expr=</c> values take them: literal text with
/// %{VAR}, %{HTTP:name} (and the other lookups) and %{func:string} for ap_expr's string functions
/// (tolower, toupper, escape, unescape, base64, unbase64, md5, sha1). Parsed once; evaluation
/// is thread-safe.
/// </summary>
public sealed class StringExpression
{
    private readonly StringNode _root;

    private StringExpression(string text, StringNode root)
    {
        Text = text;
        _root = root;
    }

    public string Text { get; }

    /// <summary>Parses; on failure <paramref name="error"/> is ap_expr's message (e.g. "Function 'x' does not exist").</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out StringExpression? expression, [NotNullWhen(false)] out string? error)
    {
        StringNode? root = new ExpressionParser(text).ParseString(out error);
        if (root is null)
        {
            expression = null;
            error ??= "syntax error";
            return false;
        }

        expression = new StringExpression(text, root);
        return true;
    }

    public string Evaluate(IExpressionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _root.Evaluate(context);
    }

    public override string ToString() => Text;
}
