using System.Collections.Generic;
using System.IO;
using System.Linq;
using Pluma.ArchitectureTests.Support;
using Xunit;

namespace Pluma.ArchitectureTests;

/// <summary>
/// ARCHITECTURE.md's "Layers" table, enforced on what the code really uses: the project files,
/// the compiled assemblies' references and the Pluma namespaces every source file names. The
/// table is read from ARCHITECTURE.md itself (<see cref="LayerTable"/>), so changing a rule
/// means changing the document a reader sees.
/// </summary>
public sealed class LayerRulesTests
{
    public static TheoryData<string> SourceProjects()
    {
        var data = new TheoryData<string>();
        foreach (string project in SourceTree.Projects)
        {
            data.Add(project);
        }

        return data;
    }

    [Fact]
    public void TheTableHasOneRowPerProject()
    {
        // A project missing from the table is a new layer: add its row to ARCHITECTURE.md on purpose.
        Assert.Equal(SourceTree.Projects.Order(StringComparer.Ordinal), LayerTable.Allowed.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void ProjectFileReferencesOnlyTheLayersItMay(string project)
    {
        var forbidden = BuiltAssemblies.ProjectReferencesOf(project).Where(p => !LayerTable.MayUse(project, p)).ToList();
        Assert.True(forbidden.Count == 0, $"{project}.csproj must not reference {string.Join(", ", forbidden)}");
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void CompiledAssemblyReferencesOnlyTheLayersItMay(string project)
    {
        string assembly = BuiltAssemblies.PathOf(project);
        Assert.True(File.Exists(assembly), $"{assembly} is not built (this test project references every src project so it is)");
        var forbidden = BuiltAssemblies.PlumaReferencesOf(project).Where(p => !LayerTable.MayUse(project, p)).ToList();
        Assert.True(forbidden.Count == 0, $"the compiled {project} uses {string.Join(", ", forbidden)}");
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void SourceNamesOnlyNamespacesOfTheLayersItMay(string project)
    {
        // A using directive or a qualified name (Pluma.Http.Protocol.HttpDate) both count: either
        // way the file knows that layer.
        var failures = new List<string>();
        foreach (SourceFile file in SourceTree.FilesOf(project))
        {
            foreach ((int line, string ns) in file.PlumaNamespacesUsed())
            {
                string owner = SourceTree.ProjectOwning(ns);
                if (!LayerTable.MayUse(project, owner))
                {
                    failures.Add($"{file.RelativePath}:{line} uses {ns} ({owner})");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{project} names layers ARCHITECTURE.md does not allow it:" + CSharpCode.Describe(failures));
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void ProjectDeclaresOnlyItsOwnNamespacesOneFolderEach(string project)
    {
        // Pluma.Modules is Pluma.Modules's alone, so a namespace tells which layer a type is in;
        // and a folder is its namespace, so the folder-cycle test's folders are what a reader sees.
        var failures = new List<string>();
        foreach (SourceFile file in SourceTree.FilesOf(project))
        {
            string expected = file.Folder.Length == 0 ? project : project + "." + file.Folder.Replace('/', '.');
            if (file.Namespace != expected)
            {
                failures.Add($"{file.RelativePath} declares namespace \"{file.Namespace}\"; its folder makes it {expected}");
            }
            else if (SourceTree.ProjectOwning(file.Namespace) != project)
            {
                failures.Add($"{file.RelativePath} declares {file.Namespace}, a namespace of {SourceTree.ProjectOwning(file.Namespace)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void ShippedCodeNeverNamesAMachinePathOutsideTheRepository(string project)
    {
        // Paths of the machine the code was written on must never leak into the product.
        string[] markers = ["/work/", "/tmp/pluma", "/root/"];
        foreach (SourceFile file in SourceTree.FilesOf(project))
        {
            foreach (string marker in markers)
            {
                Assert.False(file.Text.Contains(marker, StringComparison.Ordinal), $"{file.Path} names {marker}");
            }
        }
    }
}
