namespace Pluma.Modules.Authz;

/// <summary>The Order directive's three settings.</summary>
public enum AccessOrder
{
    DenyAllow,
    AllowDeny,
    MutualFailure,
}
