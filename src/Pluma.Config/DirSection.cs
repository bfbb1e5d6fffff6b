using System.Collections.Generic;
using System.Text.RegularExpressions;
using Pluma.Config.Expressions;

namespace Pluma.Config;

/// <summary>
/// One per-directory section (&lt;Directory&gt;, &lt;Files&gt;, &lt;Location&gt;, their Match and
/// '~' forms, &lt;If&gt;/&lt;ElseIf&gt;/&lt;Else&gt;) with the module records its directives built.
/// Sections nested in another (&lt;Files&gt; or &lt;If&gt; inside &lt;Directory&gt;) are in
/// <see cref="Nested"/> and apply only when their parent does.
/// </summary>
public sealed class DirSection
{
    internal DirSection(SectionKind kind, string pattern, Regex? regex, ConfigExpression? expression, string file, int line, ModuleConfigVector config, DirSection? parent)
    {
        Kind = kind;
        Pattern = pattern;
        Regex = regex;
        Expression = expression;
        File = file;
        Line = line;
        Config = config;
        Parent = parent;
        if (kind == SectionKind.Directory && regex is null)
        {
            foreach (char c in pattern)
            {
                if (c == '/')
                {
                    Components++;
                }
            }
        }

        HasWildcard = regex is null && Parsing.Fnmatch.HasWildcard(pattern);
    }

    public SectionKind Kind { get; }

    /// <summary>As written (for &lt;Directory&gt; with a trailing '/' added, as httpd stores it); the regex source for regex forms.</summary>
    public string Pattern { get; }

    /// <summary>Set for the Match forms and the '~' forms.</summary>
    public Regex? Regex { get; }

    /// <summary>Set for &lt;If&gt; and &lt;ElseIf&gt;.</summary>
    public ConfigExpression? Expression { get; }

    public string File { get; }

    public int Line { get; }

    public ModuleConfigVector Config { get; }

    public DirSection? Parent { get; }

    public IReadOnlyList<DirSection> Nested => NestedList;

    internal List<DirSection> NestedList { get; } = [];

    /// <summary>Slash count of a non-regex &lt;Directory&gt; path: httpd sorts those sections by it.</summary>
    internal int Components { get; }

    internal bool HasWildcard { get; }

    public override string ToString() => Kind + " " + Pattern + " (" + File + ":" + Line + ")";
}
