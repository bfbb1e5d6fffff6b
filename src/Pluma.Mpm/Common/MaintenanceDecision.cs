using System.Collections.Generic;

namespace Pluma.Mpm.Common;

/// <summary>
/// What one maintenance tick decided: slots to start children in, whether to stop one idle
/// child (and through which listener bucket's pipe of death), log lines.
/// </summary>
public sealed record MaintenanceDecision(IReadOnlyList<int> SpawnSlots, bool KillOne, IReadOnlyList<MaintenanceMessage> Messages, int IdleCount, int KillBucket = 0);
