using System.Text.RegularExpressions;

namespace Pluma.Modules.Rewrite;

/// <summary>RewriteCond's flags (CONDFLAG_*).</summary>
[Flags]
public enum CondFlags
{
    None = 0,
    NoCase = 1,
    OrNext = 2,
    NotMatch = 4,
    NoVary = 8,
}

/// <summary>What a CondPattern tests (CONDPAT_*).</summary>
public enum CondPatternType
{
    Regex,
    FileExists,
    FileSize,
    FileLink,
    FileDir,
    FileExecutable,
    LookupUrl,
    LookupFile,
    StringGreaterOrEqual,
    StringGreater,
    StringLessOrEqual,
    StringLess,
    StringEqual,
    IntGreaterOrEqual,
    IntGreater,
    IntLessOrEqual,
    IntLess,
    IntEqual,
}

/// <summary>One RewriteCond (rewritecond_entry).</summary>
public sealed class RewriteCondEntry
{
    public RewriteCondEntry(string input, string pattern, CondPatternType type, Regex? regex, CondFlags flags)
    {
        Input = input;
        Pattern = pattern;
        Type = type;
        Regex = regex;
        Flags = flags;
    }

    /// <summary>The TestString, expanded for each request.</summary>
    public string Input { get; }

    /// <summary>The CondPattern without '!' and without its operator.</summary>
    public string Pattern { get; }

    public CondPatternType Type { get; }

    public Regex? Regex { get; }

    public CondFlags Flags { get; }

    public bool Has(CondFlags flag) => (Flags & flag) != 0;
}
