using Xunit;

namespace Pluma.Pipeline.Tests;

/// <summary>
/// The classes that build pipeline trees run one after the other: a tree's build sets process-wide
/// environment variables (APACHE_RUN_DIR, the envvars file's) that its configuration reads.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PipelineTreeCollection
{
    public const string Name = "pipeline trees";
}
