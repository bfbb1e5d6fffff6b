using System.Collections.Generic;
using System.IO;
using System.Linq;
using Pluma.Testing;

namespace Pluma.ArchitectureTests.Support;

/// <summary>The shipped code: every project under src/ and its C# files (build output left out).</summary>
internal static class SourceTree
{
    private static readonly Lazy<IReadOnlyList<SourceFile>> s_files = new(ReadAll);

    public static string SrcFolder => Path.Combine(RepositoryPaths.Root, "src");

    /// <summary>The project names, one per folder of src/ ("Pluma" is the host).</summary>
    public static IReadOnlyList<string> Projects { get; } = Directory.GetDirectories(SrcFolder)
        .Select(Path.GetFileName)
        .Select(name => name!)
        .Order(StringComparer.Ordinal)
        .ToList();

    public static IReadOnlyList<SourceFile> Files => s_files.Value;

    public static IEnumerable<SourceFile> FilesOf(string project) => Files.Where(f => f.Project == project);

    /// <summary>
    /// The project a namespace belongs to: the longest project name that is the namespace or a
    /// prefix of it at a dot, so <c>Pluma.Http.Protocol</c> is Pluma.Http's and
    /// <c>Pluma.Host</c> the host's.
    /// </summary>
    public static string ProjectOwning(string ns) => Projects
        .Where(p => ns == p || ns.StartsWith(p + ".", StringComparison.Ordinal))
        .OrderByDescending(p => p.Length)
        .First();

    /// <summary>
    /// The Pluma namespace a dotted name written in a file of namespace <paramref name="from"/>
    /// refers to, as C# looks it up: from the file's namespace outwards, the first enclosing
    /// namespace P where P.FIRST is a namespace; then the longest declared namespace the full
    /// name starts with. Null when the name starts at no namespace (Path.Combine, a local).
    /// A name is only looked up from below a project's namespace or written in full: C# would
    /// first take <c>Transport.Send</c> in Pluma.Http for a property, and a text cannot tell,
    /// but a project naming another project's namespace from <c>Pluma</c> down is still caught
    /// by its compiled assembly's references.
    /// </summary>
    public static string? Resolve(string from, string dottedName)
    {
        string first = dottedName[..dottedName.IndexOf('.', StringComparison.Ordinal)];
        for (string? scope = from; scope is not null; scope = Parent(scope))
        {
            if (scope == "Pluma")
            {
                continue;
            }

            string candidate = scope.Length == 0 ? first : scope + "." + first;
            if (s_namespacePrefixes.Value.Contains(candidate))
            {
                string full = scope.Length == 0 ? dottedName : scope + "." + dottedName;
                return s_declared.Value
                    .Where(ns => full == ns || full.StartsWith(ns + ".", StringComparison.Ordinal))
                    .OrderByDescending(ns => ns.Length)
                    .FirstOrDefault();
            }
        }

        return null;
    }

    private static readonly Lazy<HashSet<string>> s_declared = new(() => Files.Select(f => f.Namespace).Where(ns => ns.Length > 0).ToHashSet(StringComparer.Ordinal));

    // Every declared namespace and each of its leading parts (Pluma, Pluma.Modules, ...).
    private static readonly Lazy<HashSet<string>> s_namespacePrefixes = new(() =>
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (string ns in s_declared.Value)
        {
            for (string? p = ns; p is { Length: > 0 }; p = Parent(p))
            {
                set.Add(p);
            }
        }

        return set;
    });

    // "A.B.C" -> "A.B" -> "A" -> "" -> null (the global namespace is the last scope).
    private static string? Parent(string ns) => ns.Length == 0 ? null : ns.LastIndexOf('.') is int dot and >= 0 ? ns[..dot] : "";

    private static List<SourceFile> ReadAll()
    {
        var files = new List<SourceFile>();
        foreach (string project in Projects)
        {
            foreach (string path in Directory.EnumerateFiles(Path.Combine(SrcFolder, project), "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                string relative = Path.GetRelativePath(Path.Combine(SrcFolder, project), path).Replace('\\', '/');
                if (relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal))
                {
                    continue;
                }

                files.Add(SourceFile.Read(RepositoryPaths.Root, project, path));
            }
        }

        return files;
    }
}
