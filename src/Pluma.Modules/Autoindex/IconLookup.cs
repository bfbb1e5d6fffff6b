using System.Collections.Generic;

namespace Pluma.Modules.Autoindex;

/// <summary>
/// find_item over AddIcon*/AddAlt* rules in order: "^^DIRECTORY^^" and "^^BLANKICON^^" match only
/// name rules; a file matches name rules by its path, type rules by its content type when it has
/// no encoding, and encoding rules by its encoding.
/// </summary>
public static class IconLookup
{
    public const string Directory = "^^DIRECTORY^^";
    public const string BlankIcon = "^^BLANKICON^^";

    public static string? Find(IReadOnlyList<IconRule> rules, string? contentType, string? contentEncoding, string path, bool pathOnly)
    {
        bool special = path.Length > 0 && path[0] == '^';
        foreach (IconRule p in rules)
        {
            if (!special && !ApacheMatch.Matches(path, p.ApplyPath))
            {
                continue;
            }

            if (p.ApplyTo.Length == 0)
            {
                return p.Data;
            }

            if (p.Kind == IconRuleKind.ByPath || special)
            {
                if (ApacheMatch.Matches(path, p.ApplyTo))
                {
                    return p.Data;
                }
            }
            else if (!pathOnly)
            {
                if (contentEncoding is null)
                {
                    if (p.Kind == IconRuleKind.ByType && contentType is not null && ApacheMatch.Matches(contentType, p.ApplyTo, ignoreCase: true))
                    {
                        return p.Data;
                    }
                }
                else if (p.Kind == IconRuleKind.ByEncoding && ApacheMatch.Matches(contentEncoding, p.ApplyTo, ignoreCase: true))
                {
                    return p.Data;
                }
            }
        }

        return null;
    }

    /// <summary>ignore_entry: the last path segment against each IndexIgnore pattern's last segment.</summary>
    public static bool IsIgnored(IReadOnlyList<IconRule> ignore, string path)
    {
        int slash = path.LastIndexOf('/');
        ReadOnlySpan<char> tt = slash < 0 ? path : path.AsSpan(slash + 1);
        foreach (IconRule p in ignore)
        {
            int s = p.ApplyTo.LastIndexOf('/');
            ReadOnlySpan<char> ap = s < 0 ? p.ApplyTo : p.ApplyTo.AsSpan(s + 1);
            if (ApacheMatch.Matches(path, p.ApplyPath) && ApacheMatch.Matches(tt, ap))
            {
                return true;
            }
        }

        return false;
    }
}
