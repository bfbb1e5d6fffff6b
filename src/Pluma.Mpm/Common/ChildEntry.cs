using System.Diagnostics;

namespace Pluma.Mpm.Common;

/// <summary>A child the parent started: its process, the generation it serves, its slot and listener bucket.</summary>
internal sealed record ChildEntry(Process Process, int Generation, int Slot, int Bucket)
{
    public int Pid { get; } = Process.Id;
}
