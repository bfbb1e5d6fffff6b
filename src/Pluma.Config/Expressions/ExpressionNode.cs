using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Pluma.Config.Expressions;

/// <summary>A boolean part of an expression.</summary>
internal abstract class BoolNode
{
    public abstract bool Evaluate(IExpressionContext context);
}

internal sealed class ConstantNode(bool value) : BoolNode
{
    public override bool Evaluate(IExpressionContext context) => value;
}

internal sealed class NotNode(BoolNode inner) : BoolNode
{
    public override bool Evaluate(IExpressionContext context) => !inner.Evaluate(context);
}

internal sealed class AndNode(BoolNode left, BoolNode right) : BoolNode
{
    public override bool Evaluate(IExpressionContext context) => left.Evaluate(context) && right.Evaluate(context);
}

internal sealed class OrNode(BoolNode left, BoolNode right) : BoolNode
{
    public override bool Evaluate(IExpressionContext context) => left.Evaluate(context) || right.Evaluate(context);
}

internal sealed class UnaryTestNode(string op, StringNode operand) : BoolNode
{
    public override bool Evaluate(IExpressionContext context)
    {
        string v = operand.Evaluate(context);
        return op switch
        {
            "-f" => v.Length > 0 && context.FileExists(v),
            "-d" => v.Length > 0 && context.DirectoryExists(v),
            "-e" => v.Length > 0 && (context.FileExists(v) || context.DirectoryExists(v)),
            "-z" => v.Length == 0,
            _ => v.Length > 0, // -n
        };
    }
}

internal sealed class CompareNode(string op, StringNode left, StringNode right) : BoolNode
{
    public override bool Evaluate(IExpressionContext context)
    {
        string a = left.Evaluate(context);
        string b = right.Evaluate(context);
        switch (op)
        {
            case "==":
            case "=":
                return string.Equals(a, b, StringComparison.Ordinal);
            case "!=":
                return !string.Equals(a, b, StringComparison.Ordinal);
            case "<":
                return string.CompareOrdinal(a, b) < 0;
            case "<=":
                return string.CompareOrdinal(a, b) <= 0;
            case ">":
                return string.CompareOrdinal(a, b) > 0;
            case ">=":
                return string.CompareOrdinal(a, b) >= 0;
            case "-ipmatch":
                return IPAddress.TryParse(a, out IPAddress? address)
                    && (IPNetwork.TryParse(b, out IPNetwork network)
                        ? network.Contains(address)
                        : IPAddress.TryParse(b, out IPAddress? single) && single.Equals(address));
            default:
                if (!long.TryParse(a, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long x)
                    || !long.TryParse(b, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long y))
                {
                    return false;
                }

                return op switch
                {
                    "-eq" => x == y,
                    "-ne" => x != y,
                    "-lt" => x < y,
                    "-le" => x <= y,
                    "-gt" => x > y,
                    _ => x >= y, // -ge
                };
        }
    }
}

internal sealed class RegexNode(StringNode subject, Regex regex, bool negate) : BoolNode
{
    public override bool Evaluate(IExpressionContext context) => regex.IsMatch(subject.Evaluate(context)) != negate;
}

/// <summary>-in: the left word equals one of the list's words.</summary>
internal sealed class InListNode(StringNode subject, StringNode[] list) : BoolNode
{
    public override bool Evaluate(IExpressionContext context)
    {
        string v = subject.Evaluate(context);
        foreach (StringNode item in list)
        {
            if (string.Equals(v, item.Evaluate(context), StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>-strmatch, -strcmatch (any case) and -fnmatch (a '/' matched only by '/'): apr_fnmatch's wildcards.</summary>
internal sealed class WildcardNode(StringNode subject, StringNode pattern, bool ignoreCase, bool pathName) : BoolNode
{
    public override bool Evaluate(IExpressionContext context) =>
        Wildcard.Matches(pattern.Evaluate(context), subject.Evaluate(context), ignoreCase, pathName);
}
