using System.Collections.Generic;
using System.Linq;
using Pluma.ArchitectureTests.Support;
using Xunit;

namespace Pluma.ArchitectureTests;

/// <summary>
/// Inside one project, folders form layers too: when Core's files use Hosting's types and
/// Hosting's use Core's, neither can be read (or moved) without the other. A folder is its
/// namespace (<see cref="LayerRulesTests.ProjectDeclaresOnlyItsOwnNamespacesOneFolderEach"/>),
/// and a file uses a folder when it names that namespace in a using directive or a qualified
/// name. A file sees its parent namespaces without naming them, so those uses are not seen.
/// </summary>
public sealed class FolderCycleTests
{
    public static TheoryData<string> ProjectsWithFolders()
    {
        var data = new TheoryData<string>();
        foreach (string project in SourceTree.Projects)
        {
            data.Add(project);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ProjectsWithFolders))]
    public void NoTwoFoldersOfAProjectUseEachOther(string project)
    {
        var graph = FolderGraph.Of(project);
        var cycles = graph.Cycles();
        Assert.True(cycles.Count == 0, $"folders of {project} that use each other:" + CSharpCode.Describe(cycles.Select(graph.Describe)));
    }
}
