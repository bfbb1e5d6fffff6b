using Xunit;

namespace Pluma.Mpm.Tests;

/// <summary>Tests that start real server processes run one at a time (2 shared cores).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    public const string Name = "mpm processes";
}
