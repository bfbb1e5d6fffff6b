using System.Collections.Generic;
using System.Linq;

namespace Pluma.ArchitectureTests.Support;

/// <summary>Which namespace (folder) of one project uses which other, with one file showing each use.</summary>
internal sealed class FolderGraph
{
    // from namespace -> to namespace -> the first file:line seen making that use
    private readonly SortedDictionary<string, SortedDictionary<string, string>> _edges = new(StringComparer.Ordinal);

    private FolderGraph()
    {
    }

    public static FolderGraph Of(string project)
    {
        var graph = new FolderGraph();
        foreach (SourceFile file in SourceTree.FilesOf(project))
        {
            graph._edges.TryAdd(file.Namespace, new(StringComparer.Ordinal));

            foreach ((int line, string ns) in file.PlumaNamespacesUsed())
            {
                if (ns == file.Namespace || SourceTree.ProjectOwning(ns) != project)
                {
                    continue;
                }

                graph._edges[file.Namespace].TryAdd(ns, $"{file.RelativePath}:{line}");
            }
        }

        return graph;
    }

    /// <summary>The strongly connected groups of more than one folder (Tarjan's algorithm).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var groups = new List<IReadOnlyList<string>>();
        int next = 0;

        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (string w in Targets(v))
            {
                if (!index.TryGetValue(w, out int wIndex))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], wIndex);
                }
            }

            if (low[v] == index[v])
            {
                var group = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    group.Add(w);
                }
                while (w != v);

                if (group.Count > 1)
                {
                    group.Sort(StringComparer.Ordinal);
                    groups.Add(group);
                }
            }
        }

        foreach (string v in _edges.Keys)
        {
            if (!index.ContainsKey(v))
            {
                Visit(v);
            }
        }

        return groups;
    }

    /// <summary>The group and, for each use inside it, one place that makes it.</summary>
    public string Describe(IReadOnlyList<string> group)
    {
        var uses = from source in @group
                   from target in Targets(source)
                   where @group.Contains(target)
                   select $"{source} -> {target} ({_edges[source][target]})";
        return string.Join("; ", uses);
    }

    private IEnumerable<string> Targets(string from) => _edges.TryGetValue(from, out var to) ? to.Keys : [];
}
