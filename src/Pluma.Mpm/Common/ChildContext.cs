using Pluma.Connections;
using Pluma.Connections.Diagnostics;
using Pluma.Transport;

namespace Pluma.Mpm.Common;

/// <summary>Everything one child process works with, for its lifetime.</summary>
internal sealed class ChildContext
{
    public required int Slot { get; init; }

    public required int Generation { get; init; }

    /// <summary>The listener bucket: <see cref="Listeners"/> and <see cref="Pod"/> are this bucket's.</summary>
    public int Bucket { get; init; }

    public required MpmSettings Settings { get; init; }

    public required Scoreboard.Scoreboard Board { get; init; }

    public required ListenerSet Listeners { get; init; }

    /// <summary>The generation's pipe of death (read end); a byte or end of stream means "stop gracefully".</summary>
    public required InheritablePipe Pod { get; init; }

    public required IConnectionHandler Handler { get; init; }

    public required IErrorLog Log { get; init; }

    /// <summary>-X: the child loop runs inside the parent (no scoreboard generation checks from outside).</summary>
    public bool OneProcess { get; init; }

    public string Module => Settings.ModuleName;

    /// <summary>The parent started a newer generation: this child must finish and go.</summary>
    public bool GenerationIsStale => System.Threading.Volatile.Read(ref Board.Global.RunningGeneration) != Generation;
}
