using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace Pluma.Modules.Rewrite;

/// <summary>RewriteRule's flags (mod_rewrite.c RULEFLAG_*).</summary>
[Flags]
public enum RuleFlags
{
    None = 0,
    ForceRedirect = 1 << 0,
    NoCase = 1 << 1,
    Last = 1 << 2,
    NewRound = 1 << 3,
    Chain = 1 << 4,
    IgnoreOnSubrequest = 1 << 5,
    NotMatch = 1 << 6,
    Proxy = 1 << 7,
    PassThrough = 1 << 8,
    QsAppend = 1 << 9,
    NoEscape = 1 << 10,
    NoSub = 1 << 11,
    Status = 1 << 12,
    EscapeBackref = 1 << 13,
    DiscardPathInfo = 1 << 14,
    QsDiscard = 1 << 15,
    End = 1 << 16,
    EscapeNoPlus = 1 << 17,
    QsLast = 1 << 18,
    QsNone = 1 << 19,
    EscapeCtls = 1 << 20,
    UnsafePrefixStat = 1 << 21,
    UnsafeAllow3F = 1 << 22,
}

/// <summary>One RewriteRule with the RewriteConds written before it (mod_rewrite.c rewriterule_entry).</summary>
public sealed class RewriteRuleEntry
{
    public RewriteRuleEntry(string pattern, Regex regex, string output, RuleOptions options, IReadOnlyList<RewriteCondEntry> conditions)
    {
        Pattern = pattern;
        Regex = regex;
        Output = output;
        Options = options;
        Flags = options.Flags;
        Conditions = conditions;
    }

    /// <summary>The pattern as written, without a leading '!'.</summary>
    public string Pattern { get; }

    public Regex Regex { get; }

    /// <summary>The substitution, without a trailing '?' (which became <see cref="RuleFlags.QsNone"/>).</summary>
    public string Output { get; }

    public RuleFlags Flags { get; }

    /// <summary>Status, skip count, rounds, type, handler, env, cookies and escapes of the [...] field.</summary>
    public RuleOptions Options { get; }

    public IReadOnlyList<RewriteCondEntry> Conditions { get; }

    public bool Has(RuleFlags flag) => (Flags & flag) != 0;
}

/// <summary>A rule's flags as parsed from its [...] field, before the rule exists.</summary>
public sealed class RuleOptions
{
    public RuleFlags Flags { get; set; }

    /// <summary>R=code, F (403), G (410); 302 for a plain R.</summary>
    public int ForcedStatus { get; set; } = 302;

    public int Skip { get; set; }

    /// <summary>N=max: the rounds before AH02596 (REWRITE_MAX_ROUNDS is 10000).</summary>
    public int MaxRounds { get; set; } = 10000;

    public string? ForcedType { get; set; }

    public string? ForcedHandler { get; set; }

    /// <summary>E=VAR:VAL and E=!VAR, expanded when the rule matches.</summary>
    public List<string> Env { get; } = [];

    /// <summary>CO=NAME:VAL:domain[:lifetime[:path[:secure[:httponly[:samesite]]]]].</summary>
    public List<string> Cookies { get; } = [];

    /// <summary>B=chars: only these are escaped in backreferences (null: every non-alphanumeric).</summary>
    public string? Escapes { get; set; }

    /// <summary>BNE=chars: never escaped in backreferences.</summary>
    public string? NoEscapes { get; set; }
}
