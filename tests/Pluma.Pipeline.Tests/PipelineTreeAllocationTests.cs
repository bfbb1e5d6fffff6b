using Pluma.Modules.Tests.Support;
using Xunit;

namespace Pluma.Pipeline.Tests;

/// <summary>
/// The pipeline benchmark's trees at 0 B per keep-alive request. In a test project of their own:
/// they load the host's module catalog (ModuleCatalog), whose modules can belong to one registry
/// per process, and Pluma.Modules.Tests builds registries of its own from the same modules.
/// </summary>
[Collection(PipelineTreeCollection.Name)]
public class PipelineTreeAllocationTests
{
    /// <summary>
    /// The trees the pipeline benchmark measures (bench/Pluma.Benchmarks/PipelineTree.cs), built
    /// as a child builds them from a copy of the checkout's conf/: the bundled tree is what
    /// <c>make run</c> serves (Debian's module set: deflate's AddOutputFilterByType, setenvif's
    /// BrowserMatch lines, negotiation, two access logs), the peers trees what peers.sh measures.
    /// </summary>
    [Theory]
    [InlineData("bundled")]
    [InlineData("peers")]
    [InlineData("peers-htaccess")]
    public void AKeepAliveStaticFileRequestOnAPipelineTreeAllocatesNothingOnceWarm(string tree)
    {
        using var t = Pluma.Benchmarks.PipelineTree.Build(tree);
        var c = new AllocationProbe.RepeatingConnection(t.Request("/small.txt"), t.Client, t.Local);
        AllocationProbe.AssertAllocatesNothing(c, () => t.Handler.Serve(c));
    }
}
