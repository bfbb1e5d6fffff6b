using Pluma.Connections.Diagnostics;

namespace Pluma.Mpm.Common;

/// <summary>An error-log line maintenance wants written (module is the MPM's).</summary>
public readonly record struct MaintenanceMessage(LogLevel Level, string Text);
