namespace Pluma.Modules.Authz;

/// <summary>AuthMerging: how a section's Require rules combine with the enclosing section's.</summary>
public enum AuthMerging
{
    /// <summary>Not set here (Apache's AUTHZ_LOGIC_UNSET): behaves as Off.</summary>
    Unset,
    Off,
    And,
    Or,
}
