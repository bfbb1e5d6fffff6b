using System.Collections.Concurrent;
using System.Collections.Generic;
using Pluma.Config.Expressions;
using Pluma.Config.Parsing;

namespace Pluma.Config.Sections;

/// <summary>
/// Merges per-directory records for a request in httpd's order (directory walk, file walk,
/// location walk, if walk). The directory phase depends only on the directory and the file
/// phase only on the path, so their results are cached per directory and per path; when no
/// location or If section applies the cached vector itself is returned and the walk allocates
/// nothing.
/// </summary>
internal sealed class SectionWalker
{
    private const int MaxCachedDirectories = 4096;
    private const int MaxCachedPaths = 4096;

    private readonly IReadOnlyList<ModuleDescriptor> _modules;
    private readonly ModuleConfigVector _defaults;
    private readonly DirSection[] _directories;
    private readonly DirSection[] _directoryRegexes;
    private readonly DirSection[] _files;
    private readonly DirSection[] _locations;
    private readonly DirSection[] _ifs;
    private readonly ConcurrentDictionary<string, DirectoryResult> _directoryCache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PathResult> _filePaths = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PathResult> _directoryPaths = new(StringComparer.Ordinal);
    private readonly PathResult _noPath;

    public SectionWalker(IReadOnlyList<ModuleDescriptor> modules, ModuleConfigVector defaults, IEnumerable<DirSection> sections)
    {
        _modules = modules;
        _defaults = defaults;
        List<DirSection> dirs = [], dirRegex = [], files = [], locations = [], ifs = [];
        foreach (DirSection s in sections)
        {
            switch (s.Kind)
            {
                case SectionKind.Directory:
                    dirs.Add(s);
                    break;
                case SectionKind.DirectoryMatch:
                    dirRegex.Add(s);
                    break;
                case SectionKind.Files:
                case SectionKind.FilesMatch:
                    files.Add(s);
                    break;
                case SectionKind.Location:
                case SectionKind.LocationMatch:
                    locations.Add(s);
                    break;
                default:
                    ifs.Add(s);
                    break;
            }
        }

        // Shortest path first; List.Sort is not stable, so config order breaks ties explicitly.
        var order = new Dictionary<DirSection, int>();
        for (int i = 0; i < dirs.Count; i++)
        {
            order[dirs[i]] = i;
        }

        dirs.Sort((a, b) => a.Components != b.Components ? a.Components.CompareTo(b.Components) : order[a].CompareTo(order[b]));
        _directories = [.. dirs];
        _directoryRegexes = [.. dirRegex];
        _files = [.. files];
        _locations = [.. locations];
        _ifs = [.. ifs];
        _noPath = new PathResult(defaults, [], []);
    }

    public ModuleConfigVector Walk(string? physicalPath, bool isDirectory, string uri, IExpressionContext? context)
    {
        PathResult path = _noPath;
        if (!string.IsNullOrEmpty(physicalPath))
        {
            ConcurrentDictionary<string, PathResult> cache = isDirectory ? _directoryPaths : _filePaths;
            if (!cache.TryGetValue(physicalPath, out PathResult? cached))
            {
                cached = WalkPath(physicalPath, isDirectory);
                if (cache.Count >= MaxCachedPaths)
                {
                    cache.Clear();
                }

                cache[physicalPath] = cached;
            }

            path = cached;
        }

        ModuleConfigVector current = path.Config;
        List<DirSection>? pendingIfs = path.FileIfs.Length > 0 ? [.. path.FileIfs] : null;
        foreach (DirSection l in _locations)
        {
            if (l.Regex is not null ? l.Regex.IsMatch(uri) : MatchLocation(l, uri))
            {
                current = Merge(current, l.Config);
                List<DirSection>? noFiles = null;
                Collect(l, noFiles, ref pendingIfs);
            }
        }

        if (context is not null && (_ifs.Length > 0 || path.DirectoryIfs.Length > 0 || pendingIfs is not null))
        {
            List<DirSection> ifs = [.. _ifs, .. path.DirectoryIfs];
            if (pendingIfs is not null)
            {
                ifs.AddRange(pendingIfs);
            }

            bool chainMatched = false;
            for (int i = 0; i < ifs.Count; i++)
            {
                DirSection s = ifs[i];
                bool apply;
                if (s.Kind == SectionKind.If)
                {
                    apply = s.Expression!.Evaluate(context);
                    chainMatched = apply;
                }
                else if (chainMatched)
                {
                    apply = false;
                }
                else
                {
                    apply = s.Kind == SectionKind.Else || s.Expression!.Evaluate(context);
                    chainMatched = apply;
                }

                if (apply)
                {
                    current = Merge(current, s.Config);
                    foreach (DirSection nested in s.Nested)
                    {
                        if (nested.Kind is SectionKind.If or SectionKind.ElseIf or SectionKind.Else)
                        {
                            ifs.Add(nested);
                        }
                    }
                }
            }
        }

        return current;
    }

    // The directory walk and the file walk depend only on the path, so their merged result is
    // cached per path: a request for a known file pays one dictionary lookup, no matching and
    // no merging (the location and If walks depend on the URI and the request, and still run).
    private PathResult WalkPath(string physicalPath, bool isDirectory)
    {
        string directory;
        string? fileName = null;
        if (isDirectory)
        {
            directory = physicalPath.EndsWith('/') ? physicalPath : physicalPath + "/";
        }
        else
        {
            int slash = physicalPath.LastIndexOf('/');
            directory = slash >= 0 ? physicalPath[..(slash + 1)] : "/";
            fileName = physicalPath[(slash + 1)..];
        }

        if (!_directoryCache.TryGetValue(directory, out DirectoryResult? dir))
        {
            dir = WalkDirectory(directory);
            if (_directoryCache.Count >= MaxCachedDirectories)
            {
                _directoryCache.Clear();
            }

            _directoryCache[directory] = dir;
        }

        ModuleConfigVector current = dir.Config;
        List<DirSection>? fileIfs = null;
        if (fileName is not null && (_files.Length > 0 || dir.NestedFiles.Length > 0))
        {
            List<DirSection> files = [.. _files, .. dir.NestedFiles];
            for (int i = 0; i < files.Count; i++)
            {
                DirSection f = files[i];
                if (f.Regex is not null ? f.Regex.IsMatch(fileName) : MatchName(f, fileName))
                {
                    current = Merge(current, f.Config);
                    Collect(f, files, ref fileIfs);
                }
            }
        }

        return new PathResult(current, dir.NestedIfs, fileIfs is null ? [] : [.. fileIfs]);
    }

    private DirectoryResult WalkDirectory(string directory)
    {
        ModuleConfigVector current = _defaults;
        List<DirSection>? nestedFiles = null, nestedIfs = null;
        int slashes = directory.AsSpan().Count('/');
        foreach (DirSection d in _directories)
        {
            if (d.Components <= slashes && MatchDirectory(d, directory))
            {
                current = Merge(current, d.Config);
                CollectBoth(d, ref nestedFiles, ref nestedIfs);
            }
        }

        foreach (DirSection d in _directoryRegexes)
        {
            if (d.Regex!.IsMatch(directory))
            {
                current = Merge(current, d.Config);
                CollectBoth(d, ref nestedFiles, ref nestedIfs);
            }
        }

        return new DirectoryResult(current, nestedFiles is null ? [] : [.. nestedFiles], nestedIfs is null ? [] : [.. nestedIfs]);
    }

    private static void CollectBoth(DirSection s, ref List<DirSection>? files, ref List<DirSection>? ifs)
    {
        foreach (DirSection n in s.Nested)
        {
            if (n.Kind is SectionKind.Files or SectionKind.FilesMatch)
            {
                (files ??= []).Add(n);
            }
            else
            {
                (ifs ??= []).Add(n);
            }
        }
    }

    private static void Collect(DirSection s, List<DirSection>? files, ref List<DirSection>? ifs)
    {
        foreach (DirSection n in s.Nested)
        {
            if (n.Kind is SectionKind.Files or SectionKind.FilesMatch)
            {
                files?.Add(n);
            }
            else
            {
                (ifs ??= []).Add(n);
            }
        }
    }

    // The prefix of the directory with as many slashes as the section's path, compared whole.
    private static bool MatchDirectory(DirSection d, string directory)
    {
        int seen = 0;
        int end = 0;
        while (end < directory.Length)
        {
            if (directory[end++] == '/' && ++seen == d.Components)
            {
                break;
            }
        }

        ReadOnlySpan<char> prefix = directory.AsSpan(0, end);
        return d.HasWildcard ? Fnmatch.IsMatch(d.Pattern, prefix, pathName: true) : prefix.SequenceEqual(d.Pattern);
    }

    private static bool MatchName(DirSection f, string fileName) =>
        f.HasWildcard ? Fnmatch.IsMatch(f.Pattern, fileName, pathName: true) : f.Pattern == fileName;

    // httpd's location rule: a prefix that ends at a slash or at the end of the URI.
    private static bool MatchLocation(DirSection l, string uri)
    {
        if (l.HasWildcard)
        {
            return Fnmatch.IsMatch(l.Pattern, uri, pathName: true);
        }

        string p = l.Pattern;
        if (!uri.StartsWith(p, StringComparison.Ordinal))
        {
            return false;
        }

        return p.Length == 0 || p[^1] == '/' || uri.Length == p.Length || uri[p.Length] == '/';
    }

    private ModuleConfigVector Merge(ModuleConfigVector baseVector, ModuleConfigVector add)
    {
        ModuleConfigVector merged = baseVector.Clone();
        for (int i = 0; i < add.Count; i++)
        {
            object? addRecord = add.GetAt(i);
            if (addRecord is null)
            {
                continue;
            }

            object? baseRecord = merged.GetAt(i);
            Func<object, object, object>? merge = _modules[i].MergeDirConfig;
            merged.SetAt(i, baseRecord is not null && merge is not null ? merge(baseRecord, addRecord) : addRecord);
        }

        return merged;
    }

    private sealed record DirectoryResult(ModuleConfigVector Config, DirSection[] NestedFiles, DirSection[] NestedIfs);

    /// <summary>After the directory and file walks: the merged vector and the If sections they brought in.</summary>
    private sealed record PathResult(ModuleConfigVector Config, DirSection[] DirectoryIfs, DirSection[] FileIfs);
}
