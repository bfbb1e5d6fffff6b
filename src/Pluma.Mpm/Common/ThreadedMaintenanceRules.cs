namespace Pluma.Mpm.Common;

/// <summary>
/// worker.c and event.c share perform_idle_server_maintenance's shape but differ in a few rules
/// (stopping children filling the scoreboard, the spawn rate, the AH ids of its warnings).
/// </summary>
public enum ThreadedMaintenanceRules
{
    Worker,
    Event,
}
