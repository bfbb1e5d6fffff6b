using System.Collections.Generic;
using Pluma.Config.Expressions;
using Pluma.Config.Parsing;

namespace Pluma.Config.Sections;

/// <summary>
/// Merges per-directory records for a request in httpd's order (directory walk, file walk,
/// location walk, if walk). The directory phase depends only on the directory and the file
/// phase only on the path, so their results are cached per directory and per path; when no
/// location or If section applies the cached vector itself is returned and the walk allocates
/// nothing. Only paths that exist are cached (a client can name endless missing ones), and each
/// cache is bounded in bytes (<see cref="WalkCache{TValue}"/>).
/// </summary>
internal sealed class SectionWalker
{
    // A few hundred KiB per cache: about a thousand paths of 40 characters each.
    internal const long CacheBudgetBytes = 256 * 1024;

    // A merged record's estimated size (Apache's per-dir configs are a few fields each).
    private const int MergedRecordBytes = 256;

    // A result record: header and three references.
    private const int ResultBytes = 48;

    private readonly IReadOnlyList<ModuleDescriptor> _modules;
    private readonly ModuleConfigVector _defaults;
    private readonly DirSection[] _directories;
    private readonly DirSection[] _directoryRegexes;
    private readonly DirSection[] _files;
    private readonly DirSection[] _locations;
    private readonly DirSection[] _ifs;
    private readonly WalkCache<DirectoryResult> _directoryCache = new(CacheBudgetBytes);
    private readonly WalkCache<PathResult> _filePaths = new(CacheBudgetBytes);
    private readonly WalkCache<PathResult> _directoryPaths = new(CacheBudgetBytes);
    private readonly WalkCache<AccessPathResult> _accessFilePaths = new(CacheBudgetBytes);
    private readonly WalkCache<AccessPathResult> _accessDirectoryPaths = new(CacheBudgetBytes);
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

    /// <summary>The estimated bytes the three caches hold (for tests).</summary>
    internal long CachedBytes => _directoryCache.Bytes + _filePaths.Bytes + _directoryPaths.Bytes + _accessFilePaths.Bytes + _accessDirectoryPaths.Bytes;

    /// <param name="physicalPath">The file or directory the request maps to, or null.</param>
    /// <param name="isDirectory">Whether <paramref name="physicalPath"/> is a directory.</param>
    /// <param name="uri">The decoded request path (for Location sections).</param>
    /// <param name="context">The request, for If sections.</param>
    /// <param name="exists">Whether <paramref name="physicalPath"/> exists: results for missing paths are not cached.</param>
    /// <param name="accessFiles">
    /// The sections of the access files the directory walk read on the way down, shallowest
    /// first (<see cref="AccessFileParser"/>); each merges right after the &lt;Directory&gt;
    /// sections of its own directory, as in httpd's ap_directory_walk.
    /// </param>
    public ModuleConfigVector Walk(string? physicalPath, bool isDirectory, string uri, IExpressionContext? context, bool exists = true, IReadOnlyList<DirSection>? accessFiles = null)
    {
        PathResult path = _noPath;
        if (!string.IsNullOrEmpty(physicalPath) && accessFiles is { Count: > 0 })
        {
            path = WalkWithAccessFiles(physicalPath, isDirectory, exists, accessFiles);
        }
        else if (!string.IsNullOrEmpty(physicalPath))
        {
            WalkCache<PathResult> cache = isDirectory ? _directoryPaths : _filePaths;
            if (!cache.TryGet(physicalPath, out PathResult? cached))
            {
                cached = WalkPath(physicalPath, isDirectory, exists);
                if (exists)
                {
                    cache.Add(physicalPath, cached, cached.Bytes);
                }
            }

            path = cached;
        }

        ModuleConfigVector current = path.Config;
        List<DirSection>? pendingIfs = path.FileIfs.Length > 0 ? [.. path.FileIfs] : null;
        // request.c location_walk: <Location> compares the URI with its runs of '/' merged
        // (ap_no2slash), <LocationMatch> the URI as it is (they differ under MergeSlashes Off).
        // Only a tree with <Location> sections pays for the scan.
        string merged = _locations.Length > 0 && uri.StartsWith('/') && uri.Contains("//", StringComparison.Ordinal) ? NoTwoSlash(uri) : uri;
        foreach (DirSection l in _locations)
        {
            if (l.Regex is not null ? l.Regex.IsMatch(uri) : MatchLocation(l, merged))
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

    // With access files the result depends on them too: the cache keeps, per path, the sections
    // it was merged from, and a hit needs the very same ones (a changed file is a new section).
    private PathResult WalkWithAccessFiles(string physicalPath, bool isDirectory, bool exists, IReadOnlyList<DirSection> accessFiles)
    {
        WalkCache<AccessPathResult> cache = isDirectory ? _accessDirectoryPaths : _accessFilePaths;
        if (cache.TryGet(physicalPath, out AccessPathResult? cached) && cached.SameFiles(accessFiles))
        {
            return cached.Path;
        }

        DirSection[] files = [.. accessFiles];
        PathResult result = WalkPath(physicalPath, isDirectory, exists, files);
        if (exists)
        {
            cache.Set(physicalPath, new AccessPathResult(files, result), result.Bytes + ArrayBytes(files));
        }

        return result;
    }

    // The directory walk and the file walk depend only on the path, so their merged result is
    // cached per path: a request for a known file pays one dictionary lookup, no matching and
    // no merging (the location and If walks depend on the URI and the request, and still run).
    private PathResult WalkPath(string physicalPath, bool isDirectory, bool exists, DirSection[]? accessFiles = null)
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

        DirectoryResult? dir;
        if (accessFiles is not null)
        {
            dir = WalkDirectory(directory, accessFiles);
        }
        else if (!_directoryCache.TryGet(directory, out dir))
        {
            dir = WalkDirectory(directory, []);
            // A missing file's directory may be missing too: keep only what is known to exist.
            if (exists)
            {
                _directoryCache.Add(directory, dir, dir.Bytes);
            }
        }

        ModuleConfigVector current = dir.Config;
        long mergedBytes = 0;
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
                    mergedBytes += MergeBytes(f.Config);
                    Collect(f, files, ref fileIfs);
                }
            }
        }

        DirSection[] ifs = fileIfs is null ? [] : [.. fileIfs];
        return new PathResult(current, dir.NestedIfs, ifs) { Bytes = ResultBytes + mergedBytes + ArrayBytes(ifs) };
    }

    private DirectoryResult WalkDirectory(string directory, DirSection[] accessFiles)
    {
        ModuleConfigVector current = _defaults;
        long mergedBytes = 0;
        List<DirSection>? nestedFiles = null, nestedIfs = null;
        int slashes = directory.AsSpan().Count('/');
        int nextAccessFile = 0;
        foreach (DirSection d in _directories)
        {
            // A level's access file comes after that level's sections, before the deeper ones'.
            for (; nextAccessFile < accessFiles.Length && accessFiles[nextAccessFile].Components < d.Components; nextAccessFile++)
            {
                MergeSection(accessFiles[nextAccessFile], ref current, ref mergedBytes, ref nestedFiles, ref nestedIfs);
            }

            if (d.Components <= slashes && MatchDirectory(d, directory))
            {
                MergeSection(d, ref current, ref mergedBytes, ref nestedFiles, ref nestedIfs);
            }
        }

        for (; nextAccessFile < accessFiles.Length; nextAccessFile++)
        {
            MergeSection(accessFiles[nextAccessFile], ref current, ref mergedBytes, ref nestedFiles, ref nestedIfs);
        }

        foreach (DirSection d in _directoryRegexes)
        {
            if (d.Regex!.IsMatch(directory))
            {
                current = Merge(current, d.Config);
                mergedBytes += MergeBytes(d.Config);
                CollectBoth(d, ref nestedFiles, ref nestedIfs);
            }
        }

        DirSection[] files = nestedFiles is null ? [] : [.. nestedFiles];
        DirSection[] ifs = nestedIfs is null ? [] : [.. nestedIfs];
        return new DirectoryResult(current, files, ifs) { Bytes = ResultBytes + mergedBytes + ArrayBytes(files) + ArrayBytes(ifs) };
    }

    private void MergeSection(DirSection d, ref ModuleConfigVector current, ref long mergedBytes, ref List<DirSection>? nestedFiles, ref List<DirSection>? nestedIfs)
    {
        current = Merge(current, d.Config);
        mergedBytes += MergeBytes(d.Config);
        CollectBoth(d, ref nestedFiles, ref nestedIfs);
    }

    private static long ArrayBytes(DirSection[] a) => a.Length == 0 ? 0 : 24 + 8L * a.Length;

    // What one Merge keeps: the cloned vector (object and slot array) and a new record per slot merged.
    private static long MergeBytes(ModuleConfigVector add)
    {
        long bytes = 24 + 24 + 8L * add.Count;
        for (int i = 0; i < add.Count; i++)
        {
            if (add.GetAt(i) is not null)
            {
                bytes += MergedRecordBytes;
            }
        }

        return bytes;
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

    private static string NoTwoSlash(string uri)
    {
        var sb = new System.Text.StringBuilder(uri.Length);
        foreach (char c in uri)
        {
            if (c != '/' || sb.Length == 0 || sb[^1] != '/')
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

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

    internal ModuleConfigVector Merge(ModuleConfigVector baseVector, ModuleConfigVector add)
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

    /// <summary>A path's result merged with access files, and the access-file sections it was merged from.</summary>
    private sealed record AccessPathResult(DirSection[] Files, PathResult Path)
    {
        public bool SameFiles(IReadOnlyList<DirSection> files)
        {
            if (files.Count != Files.Length)
            {
                return false;
            }

            for (int i = 0; i < Files.Length; i++)
            {
                if (!ReferenceEquals(files[i], Files[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private sealed record DirectoryResult(ModuleConfigVector Config, DirSection[] NestedFiles, DirSection[] NestedIfs)
    {
        /// <summary>The estimated bytes this result keeps alive beyond what the configuration holds.</summary>
        public long Bytes { get; init; }
    }

    /// <summary>After the directory and file walks: the merged vector and the If sections they brought in.</summary>
    private sealed record PathResult(ModuleConfigVector Config, DirSection[] DirectoryIfs, DirSection[] FileIfs)
    {
        /// <summary>The estimated bytes this result keeps alive beyond what its directory's result holds.</summary>
        public long Bytes { get; init; }
    }
}
