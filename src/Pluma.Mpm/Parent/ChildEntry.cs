using System.Diagnostics;

namespace Pluma.Mpm.Parent;

/// <summary>A child the parent started: its process and the generation it serves.</summary>
internal sealed record ChildEntry(Process Process, int Generation, int Slot)
{
    public int Pid { get; } = Process.Id;
}
