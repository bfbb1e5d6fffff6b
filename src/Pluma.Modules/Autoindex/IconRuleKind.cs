namespace Pluma.Modules.Autoindex;

/// <summary>What an AddIcon*/AddAlt* rule matches: a file name pattern, a content type, or a content encoding.</summary>
public enum IconRuleKind
{
    ByPath,
    ByType,
    ByEncoding,
}
