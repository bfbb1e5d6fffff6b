using System.Collections.Generic;
using System.Text;
using Pluma.Config;
using Pluma.Config.Parsing;

namespace Pluma.Modules.Core;

/// <summary>
/// What core's directory walk needs from one server's configuration, taken once per
/// configuration: its non-regex &lt;Directory&gt; sections that touch Options, AllowOverride or
/// AllowOverrideList, in httpd's order (fewest components first, then as written:
/// core_reorder_directories), and the AccessFileName list. The walk (<c>CoreRequest/DirectoryWalk</c>)
/// replays Apache's mini-merge of those values (request.c core_opts_merge) level by level; regex
/// sections are merged after Apache's walk, so they never decide a symlink or an access file.
/// The plan also holds the server's cache of parsed access files (<see cref="AccessFiles"/>).
/// </summary>
public sealed class DirectoryWalkPlan
{
    private const CoreOptions SymlinkOptions = CoreOptions.FollowSymLinks | CoreOptions.SymLinksIfOwnerMatch;

    private DirectoryWalkPlan(WalkSection[] sections, CoreOptions defaultOptions, AccessFileOverrides defaultOverride, IReadOnlyList<string>? defaultList, byte[][] accessNames)
    {
        Sections = sections;
        DefaultOptions = defaultOptions;
        DefaultOverride = defaultOverride;
        DefaultOverrideList = defaultList;
        AccessNames = accessNames;
        foreach (byte[] n in accessNames)
        {
            LongestAccessName = Math.Max(LongestAccessName, n.Length);
        }

        ChecksAccessFiles = accessNames.Length > 0
            && (ReadsAccessFiles(defaultOverride, defaultList) || Array.Exists(sections, s => s.Override is { ReadsAccessFile: true } || s.OverrideList is { Count: > 0 }));
        ChecksSymlinks = !FollowsFreely(defaultOptions) || Array.Exists(sections, s => s.MayRestrictSymlinks);
    }

    /// <summary>A plan that walks nothing (no symlink restriction, no access file): every request passes.</summary>
    public static DirectoryWalkPlan None { get; } = new([], CoreOptions.FollowSymLinks, AllowOverrideSetting.None, null, []);

    /// <summary>Whether any request of this server can meet a restricted symlink or an access file.</summary>
    public bool IsActive => ChecksSymlinks || ChecksAccessFiles;

    /// <summary>Some directory allows overrides, so access files are looked for where it does.</summary>
    public bool ChecksAccessFiles { get; }

    /// <summary>Some directory's Options are not plain FollowSymLinks, so links are looked for there.</summary>
    public bool ChecksSymlinks { get; }

    internal WalkSection[] Sections { get; }

    internal CoreOptions DefaultOptions { get; }

    internal AccessFileOverrides DefaultOverride { get; }

    internal IReadOnlyList<string>? DefaultOverrideList { get; }

    /// <summary>This server's access files as read and parsed, re-read when one changes.</summary>
    internal AccessFileCache AccessFiles { get; } = new();

    /// <summary>The AccessFileName names in UTF-8, as the walk appends them to a directory's bytes.</summary>
    internal byte[][] AccessNames { get; }

    internal int LongestAccessName { get; }

    /// <summary>
    /// The plan of a server whose per-directory sections are <paramref name="sections"/> (a
    /// virtual host's: the main server's followed by its own, as httpd appends them) over the
    /// server's defaults <paramref name="dirDefaults"/>.
    /// </summary>
    public static DirectoryWalkPlan Build(ModuleConfigVector dirDefaults, IEnumerable<DirSection> sections, IReadOnlyList<string>? accessFileNames)
    {
        CoreDirConfig defaults = dirDefaults.Get<CoreDirConfig>(CoreModule.Descriptor) ?? new CoreDirConfig();
        var list = new List<WalkSection>();
        foreach (DirSection s in sections)
        {
            if (s.Kind != SectionKind.Directory || s.Regex is not null || s.Config.Get<CoreDirConfig>(CoreModule.Descriptor) is not { } core)
            {
                continue;
            }

            if (core.Options is null && core.OptionsAdd == CoreOptions.None && core.OptionsRemove == CoreOptions.None
                && core.AllowOverride is null && core.AllowOverrideList is null)
            {
                continue;
            }

            list.Add(new WalkSection(s.Pattern, s.Pattern.AsSpan().Count('/'), Fnmatch.HasWildcard(s.Pattern), core.Options, core.OptionsAdd, core.OptionsRemove,
                core.AllowOverride, core.AllowOverrideList, list.Count));
        }

        // Stable: fewest components first, configuration order among equals.
        list.Sort((a, b) => a.Components != b.Components ? a.Components.CompareTo(b.Components) : a.Order.CompareTo(b.Order));
        var names = new List<byte[]>();
        foreach (string name in accessFileNames ?? [".htaccess"])
        {
            if (name.Length > 0 && !name.Contains('/', StringComparison.Ordinal))
            {
                names.Add(Encoding.UTF8.GetBytes(name));
            }
        }

        return new DirectoryWalkPlan([.. list], defaults.EffectiveOptions,
            defaults.AllowOverride ?? AllowOverrideSetting.None, defaults.AllowOverrideList, [.. names]);
    }

    /// <summary>request.c skips the lstat where the directory's options are FollowSymLinks without SymLinksIfOwnerMatch.</summary>
    internal static bool FollowsFreely(CoreOptions options) => (options & SymlinkOptions) == CoreOptions.FollowSymLinks;

    /// <summary>ap_directory_walk reads a directory's access files where its override or override_list is set.</summary>
    internal static bool ReadsAccessFiles(AccessFileOverrides overrides, IReadOnlyList<string>? list) =>
        (overrides.Allowed & DirectiveScope.OrAll) != 0 || list is { Count: > 0 };

    /// <summary>One &lt;Directory&gt; section as the walk merges it.</summary>
    internal sealed record WalkSection(string Pattern, int Components, bool HasWildcard, CoreOptions? Options, CoreOptions Add, CoreOptions Remove, AccessFileOverrides? Override, IReadOnlyList<string>? OverrideList, int Order)
    {
        /// <summary>Whether merging this section can leave a directory's options short of plain FollowSymLinks.</summary>
        public bool MayRestrictSymlinks =>
            (Options is { } o && !FollowsFreely((o | Add) & ~Remove))
            || (Add & CoreOptions.SymLinksIfOwnerMatch) != 0
            || (Remove & CoreOptions.FollowSymLinks) != 0;

        /// <summary>core_opts_merge for the options: an absolute Options line replaces, +/- apply on top.</summary>
        public CoreOptions MergeOptions(CoreOptions current) => ((Options ?? current) | Add) & ~Remove;

        public bool Matches(ReadOnlySpan<char> directory) =>
            HasWildcard ? Fnmatch.IsMatch(Pattern, directory, pathName: true) : directory.SequenceEqual(Pattern);
    }
}
