using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Pluma.Config.Expressions;

/// <summary>A boolean part of an expression.</summary>
internal abstract class BoolNode
{
    public abstract bool Evaluate(IExpressionContext context);
}

/// <summary>A string part: literal pieces and %{VAR} lookups, concatenated.</summary>
internal sealed class WordNode
{
    private readonly string[] _parts;
    private readonly bool[] _isVariable;

    public WordNode(string[] parts, bool[] isVariable)
    {
        _parts = parts;
        _isVariable = isVariable;
    }

    public string Evaluate(IExpressionContext context)
    {
        if (_parts.Length == 1)
        {
            return _isVariable[0] ? context.GetVariable(_parts[0]) ?? string.Empty : _parts[0];
        }

        var sb = new StringBuilder();
        for (int i = 0; i < _parts.Length; i++)
        {
            sb.Append(_isVariable[i] ? context.GetVariable(_parts[i]) : _parts[i]);
        }

        return sb.ToString();
    }
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

internal sealed class UnaryTestNode(string op, WordNode operand) : BoolNode
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

internal sealed class CompareNode(string op, WordNode left, WordNode right) : BoolNode
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

internal sealed class RegexNode(WordNode subject, Regex regex, bool negate) : BoolNode
{
    public override bool Evaluate(IExpressionContext context) => regex.IsMatch(subject.Evaluate(context)) != negate;
}
