namespace Pluma.Modules.LogConfig;

/// <summary>
/// One compiled piece of a LogFormat: a literal or a % directive with its {argument}, its
/// status condition (<c>%400,501{X}i</c>, <c>%!200{X}i</c>) and whether it wants the original
/// (<c>&lt;</c>) or final (<c>&gt;</c>) request.
/// </summary>
public sealed record LogItem(LogItemKind Kind, string? Argument = null, char Letter = '\0')
{
    /// <summary>UTF-8 bytes of a literal.</summary>
    public byte[] Literal { get; init; } = [];

    public int[]? Conditions { get; init; }

    public bool NegateConditions { get; init; }

    /// <summary>True for '&lt;' (the original request), false for '&gt;'; null when not given (the item's own default).</summary>
    public bool? WantOriginal { get; init; }
}
