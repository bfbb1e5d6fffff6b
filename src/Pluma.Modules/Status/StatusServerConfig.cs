namespace Pluma.Modules.Status;

/// <summary>ExtendedStatus (a core directive in Apache 2.4, declared here until core has it): On by default when mod_status is loaded.</summary>
public sealed class StatusServerConfig
{
    public bool? ExtendedStatus { get; set; }

    public bool EffectiveExtendedStatus => ExtendedStatus ?? true;

    public static StatusServerConfig Merge(StatusServerConfig main, StatusServerConfig vhost) =>
        new() { ExtendedStatus = vhost.ExtendedStatus ?? main.ExtendedStatus };
}
