using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Pluma.Testing;

namespace Pluma.ArchitectureTests.Support;

/// <summary>
/// ARCHITECTURE.md's "Layers" table, read from the document itself so that the rules the tests
/// enforce and the rules a reader is shown cannot drift apart.
/// </summary>
internal static partial class LayerTable
{
    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlySet<string>>> s_allowed = new(Read);

    /// <summary>Each project of the table and the projects it may reference (itself not included).</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Allowed => s_allowed.Value;

    public static bool MayUse(string project, string other) => project == other || Allowed[project].Contains(other);

    private static Dictionary<string, IReadOnlySet<string>> Read()
    {
        string doc = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "ARCHITECTURE.md"));
        int start = doc.IndexOf("\n## Layers", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException("ARCHITECTURE.md has no \"## Layers\" section");
        }

        int end = doc.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        string section = end < 0 ? doc[start..] : doc[start..end];

        // Rows are "| `Project` | owns | may reference | must not know |"; the header and the
        // separator row have no backquoted project in their first cell.
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match row in TableRow().Matches(section))
        {
            rows[row.Groups["project"].Value] = row.Groups["may"].Value;
        }

        if (rows.Count == 0)
        {
            throw new InvalidOperationException("ARCHITECTURE.md's Layers table has no project rows");
        }

        var allowed = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach ((string project, string cell) in rows)
        {
            allowed[project] = ParseMayReference(cell, rows.Keys, project);
        }

        return allowed;
    }

    // "BCL" (nothing of Pluma), "all" (every other project), or a comma list of short names
    // ("Connections, Transport") that stand for Pluma.Connections and Pluma.Transport.
    private static HashSet<string> ParseMayReference(string cell, IEnumerable<string> projects, string self)
    {
        string text = cell.Trim().Trim('(', ')').Trim();
        if (text == "BCL")
        {
            return [];
        }

        if (text == "all")
        {
            return projects.Where(p => p != self).ToHashSet(StringComparer.Ordinal);
        }

        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string name = "Pluma." + part.Trim('`');
            if (!projects.Contains(name))
            {
                throw new InvalidOperationException($"ARCHITECTURE.md: {self} may reference \"{part}\", which is not a project of the table");
            }

            set.Add(name);
        }

        return set;
    }

    [GeneratedRegex(@"^\| `(?<project>Pluma(?:\.\w+)?)`(?: \(host\))? \|[^|\n]*\|(?<may>[^|\n]*)\|[^|\n]*\|\s*$", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
