using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace Pluma.ArchitectureTests.Support;

/// <summary>
/// The compiled src/ assemblies, as built beside this test project (its project file references
/// each of them so they are built first, in the same configuration). The compiler writes an
/// assembly reference only for an assembly whose types the code really uses, so these references
/// are what the code needs, not what a project file allows.
/// </summary>
internal static class BuiltAssemblies
{
    /// <summary>The Pluma assemblies the built <paramref name="project"/> references, as project names.</summary>
    public static IReadOnlyList<string> PlumaReferencesOf(string project)
    {
        using var stream = File.OpenRead(PathOf(project));
        using var pe = new PEReader(stream);
        MetadataReader metadata = pe.GetMetadataReader();
        var byAssemblyName = SourceTree.Projects.ToDictionary(AssemblyNameOf, p => p, StringComparer.Ordinal);
        return metadata.AssemblyReferences
            .Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name))
            .Where(byAssemblyName.ContainsKey)
            .Select(name => byAssemblyName[name])
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>src/PROJECT/bin/CONFIGURATION/TFM/ASSEMBLY.dll, in this test's own configuration and target framework.</summary>
    public static string PathOf(string project)
    {
        string testOutput = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        string framework = Path.GetFileName(testOutput);
        string configuration = typeof(BuiltAssemblies).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        return Path.Combine(SourceTree.SrcFolder, project, "bin", configuration, framework, AssemblyNameOf(project) + ".dll");
    }

    /// <summary>The project's AssemblyName (the host's is "pluma"), or its project name.</summary>
    public static string AssemblyNameOf(string project)
    {
        string csproj = Path.Combine(SourceTree.SrcFolder, project, project + ".csproj");
        return XDocument.Load(csproj).Descendants("AssemblyName").FirstOrDefault()?.Value ?? project;
    }

    /// <summary>The projects the project file references.</summary>
    public static IReadOnlyList<string> ProjectReferencesOf(string project)
    {
        string csproj = Path.Combine(SourceTree.SrcFolder, project, project + ".csproj");
        return XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
