using Pluma.Mpm.Common;
using Xunit;

namespace Pluma.Mpm.Tests;

/// <summary>The gate of prefork's look at the pipe of death between connections (a given clock, no waiting).</summary>
public sealed class IntervalGateTests
{
    [Fact]
    public void TheFirstLookGoesThroughThenOnlyOncePerInterval()
    {
        long now = 5_000;
        var gate = new IntervalGate(100, () => now);
        Assert.True(gate.Due());
        Assert.False(gate.Due());
        now += 99;
        Assert.False(gate.Due());
        now += 1;
        Assert.True(gate.Due());
        Assert.False(gate.Due());

        // A long gap lets one look through, not one for every interval missed.
        now += 1_000;
        Assert.True(gate.Due());
        Assert.False(gate.Due());
    }
}
