namespace Pluma.Modules.Autoindex;

/// <summary>
/// One AddIcon/AddAlt/AddDescription/IndexIgnore entry (mod_autoindex's struct item): the
/// pattern it applies to (a name pattern made "*name" unless it has wildcards), the section path
/// pattern ("*" at server level), and the icon URL or text.
/// </summary>
public sealed record IconRule(IconRuleKind Kind, string ApplyTo, string ApplyPath, string Data)
{
    /// <summary>push_item: name patterns without wildcards get a leading '*'.</summary>
    public static IconRule Create(IconRuleKind kind, string to, string? sectionPath, string data) =>
        new(kind, kind == IconRuleKind.ByPath && !ApacheMatch.IsPattern(to) ? "*" + to : to, (sectionPath ?? string.Empty) + "*", data);
}
