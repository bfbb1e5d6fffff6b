using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Pluma.Testing;
using Xunit;

namespace Pluma.ArchitectureTests;

/// <summary>
/// The layer rules of ARCHITECTURE.md, read from the project files themselves: Config knows no
/// sockets, Http knows no processes, the MPM knows no HTTP.
/// </summary>
public sealed class LayerRulesTests
{
    // Who may reference whom (ARCHITECTURE.md, "Layers"). A project missing here is a new layer:
    // add it to the table (and to ARCHITECTURE.md) on purpose.
    private static readonly Dictionary<string, string[]> s_allowed = new()
    {
        ["Pluma.Connections"] = [],
        ["Pluma.Config"] = [],
        ["Pluma.Scoreboard"] = [],
        ["Pluma.Transport"] = ["Pluma.Connections"],
        ["Pluma.Http"] = ["Pluma.Connections"],
        ["Pluma.Mpm"] = ["Pluma.Connections", "Pluma.Transport", "Pluma.Config", "Pluma.Scoreboard"],
        ["Pluma.Modules"] = ["Pluma.Connections", "Pluma.Config", "Pluma.Http", "Pluma.Scoreboard"],
        ["Pluma.Admin"] = ["Pluma.Config"],
        ["Pluma"] = ["Pluma.Connections", "Pluma.Config", "Pluma.Scoreboard", "Pluma.Transport", "Pluma.Http", "Pluma.Mpm", "Pluma.Modules", "Pluma.Admin"],
    };

    public static TheoryData<string> SourceProjects()
    {
        var data = new TheoryData<string>();
        foreach (string dir in Directory.GetDirectories(Path.Combine(RepositoryPaths.Root, "src")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(dir));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void ProjectReferencesOnlyTheLayersItMay(string project)
    {
        Assert.True(s_allowed.ContainsKey(project), $"{project} is not in the layer table; add it deliberately");
        string csproj = Path.Combine(RepositoryPaths.Root, "src", project, project + ".csproj");
        var references = XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value))
            .ToList();
        var forbidden = references.Except(s_allowed[project]).ToList();
        Assert.True(forbidden.Count == 0, $"{project} must not reference {string.Join(", ", forbidden)}");
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void ShippedCodeNeverNamesAMachinePathOutsideTheRepository(string project)
    {
        // Paths of the machine the code was written on must never leak into the product.
        string[] markers = ["/work/", "/tmp/pluma", "/root/"];
        foreach (string file in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "src", project), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains("/obj/", StringComparison.Ordinal) || file.Contains("/bin/", StringComparison.Ordinal))
            {
                continue;
            }

            string text = File.ReadAllText(file);
            foreach (string marker in markers)
            {
                Assert.False(text.Contains(marker, StringComparison.Ordinal), $"{file} names {marker}");
            }
        }
    }
}
