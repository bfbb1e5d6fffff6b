using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using Pluma.ArchitectureTests.Support;
using Pluma.Testing;
using Xunit;

namespace Pluma.ArchitectureTests;

/// <summary>
/// A comment cites only what a reader can open: Apache's source file and function
/// (server/mpm/event/event.c, listener_thread), an RFC, or a file of this repository. A
/// numbered section ("reference" and a section number) of a document that is not in the repository is refused.
/// </summary>
public sealed partial class CitationTests
{
    [GeneratedRegex(@"\breference\s+\d+(\.\d+)+", RegexOptions.IgnoreCase)]
    private static partial Regex NumberedReference();

    [Fact]
    public void NoCommentCitesANumberedReferenceOutsideTheRepository()
    {
        var failures = new List<string>();
        foreach (string root in new[] { "src", "tests" })
        {
            foreach (string path in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, root), "*.cs", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(RepositoryPaths.Root, path).Replace('\\', '/');
                if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach ((int line, string comment) in CSharpCode.Comments(File.ReadAllText(path)))
                {
                    if (NumberedReference().Match(comment) is { Success: true } m)
                    {
                        failures.Add($"{relative}:{line}: {m.Value}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, "cite Apache's source file and function instead:" + CSharpCode.Describe(failures));
    }
}
