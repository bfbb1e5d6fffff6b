namespace Pluma.Modules.Negotiation;

/// <summary>ForceLanguagePriority's flags (mod_negotiation.c FLP_*); unset means Prefer.</summary>
[Flags]
public enum ForceLanguagePriority
{
    Undefined = 0,

    /// <summary>Answer 406 when nothing is acceptable.</summary>
    None = 1,

    /// <summary>Among equally good variants, take LanguagePriority's order.</summary>
    Prefer = 2,

    /// <summary>When no language is acceptable, serve LanguagePriority's first rather than 406.</summary>
    Fallback = 4,
}
