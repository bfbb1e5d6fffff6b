using System.Text;

namespace Pluma.Config.Expressions;

/// <summary>A string-valued part of an expression.</summary>
internal abstract class StringNode
{
    public abstract string Evaluate(IExpressionContext context);
}

/// <summary>Pieces concatenated (a quoted string, a string expression, or words joined with '.').</summary>
internal sealed class ConcatNode(StringNode[] parts) : StringNode
{
    public override string Evaluate(IExpressionContext context)
    {
        if (parts.Length == 1)
        {
            return parts[0].Evaluate(context);
        }

        var sb = new StringBuilder();
        foreach (StringNode p in parts)
        {
            sb.Append(p.Evaluate(context));
        }

        return sb.ToString();
    }
}

internal sealed class LiteralNode(string text) : StringNode
{
    public override string Evaluate(IExpressionContext context) => text;
}

/// <summary>%{NAME}: a request variable ("" when it has none).</summary>
internal sealed class VariableNode(string name) : StringNode
{
    public override string Evaluate(IExpressionContext context) => context.GetVariable(name) ?? string.Empty;
}

/// <summary>%{HTTP:name}, http(name), env(name) ...: a lookup whose key is itself evaluated.</summary>
internal sealed class LookupNode(string prefix, StringNode key) : StringNode
{
    public override string Evaluate(IExpressionContext context) => context.GetVariable(prefix + ":" + key.Evaluate(context)) ?? string.Empty;
}

/// <summary>tolower(x), %{md5:x} ...: one of ap_expr's string functions.</summary>
internal sealed class FunctionNode(Func<string, string> function, StringNode argument) : StringNode
{
    public override string Evaluate(IExpressionContext context) => function(argument.Evaluate(context));
}
