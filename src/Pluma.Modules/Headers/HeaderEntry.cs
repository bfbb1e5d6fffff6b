using System.Text.RegularExpressions;
using Pluma.Config.Expressions;

namespace Pluma.Modules.Headers;

/// <summary>One Header (or RequestHeader) directive as parsed (header_entry in mod_headers.c).</summary>
public sealed class HeaderEntry
{
    public required HeaderAction Action { get; init; }

    /// <summary>The field name (anything after a colon dropped, as Apache does).</summary>
    public required string Name { get; init; }

    /// <summary>The value (or, for edit, the replacement); null for unset and echo, and for an expr= value.</summary>
    public HeaderFormat? Value { get; init; }

    /// <summary>A value written as expr=... (an ap_expr string expression).</summary>
    public StringExpression? ValueExpression { get; init; }

    /// <summary>edit/edit*'s match, echo's name pattern.</summary>
    public Regex? Pattern { get; init; }

    /// <summary>env=VAR or env=!VAR: the variable, and whether it must be unset.</summary>
    public string? EnvVariable { get; init; }

    public bool EnvNegated { get; init; }

    public ConfigExpression? Condition { get; init; }

    /// <summary>"early": applied before the request is processed.</summary>
    public bool Early { get; init; }

    /// <summary>The value for request <paramref name="r"/>: the format rendered, or the expression evaluated.</summary>
    public string RenderValue(Hosting.RequestRecord r) =>
        ValueExpression is { } expression ? expression.Evaluate(Common.RequestExpressionContext.Current(r)) : Value!.Render(r);
}
