using System.Collections.Generic;
using Pluma.Config.Expressions;
using Pluma.Config.Sections;

namespace Pluma.Config;

/// <summary>
/// One server (httpd's <c>server_rec</c>): the main server or a &lt;VirtualHost&gt;. After loading,
/// a virtual host's <see cref="ModuleConfig"/> and <see cref="DirDefaults"/> are already merged
/// over the main server's, as httpd's ap_fixup_virtual_hosts does. Records are shared between
/// servers and requests: treat them as read-only once loaded.
/// </summary>
public sealed class ServerConfig
{
    private SectionWalker? _walker;

    internal ServerConfig(bool isVirtual, IReadOnlyList<string> addresses, string? file, int line, int moduleCount)
    {
        IsVirtual = isVirtual;
        Addresses = addresses;
        File = file;
        Line = line;
        ModuleConfig = new ModuleConfigVector(moduleCount);
        DirDefaults = new ModuleConfigVector(moduleCount);
    }

    public bool IsVirtual { get; }

    /// <summary>The &lt;VirtualHost&gt; addresses as written (empty for the main server).</summary>
    public IReadOnlyList<string> Addresses { get; }

    /// <summary>Where the &lt;VirtualHost&gt; starts, for -S (null for the main server).</summary>
    public string? File { get; }

    public int Line { get; }

    /// <summary>Per-module server records.</summary>
    public ModuleConfigVector ModuleConfig { get; internal set; }

    /// <summary>Per-module dir records from directives outside any section (httpd's lookup_defaults).</summary>
    public ModuleConfigVector DirDefaults { get; internal set; }

    /// <summary>This server's own top-level sections in config order (a vhost's walk also sees the main server's).</summary>
    public IReadOnlyList<DirSection> Sections => SectionList;

    internal List<DirSection> SectionList { get; } = [];

    /// <summary>
    /// The merged per-directory records for one request, in httpd's order: &lt;Directory&gt; from
    /// the shortest path to the longest, then &lt;DirectoryMatch&gt;, then &lt;Files&gt;/&lt;FilesMatch&gt;
    /// against the last path segment, then &lt;Location&gt;/&lt;LocationMatch&gt; against the URI, then
    /// &lt;If&gt; chains; same kinds in config order, main server's before the vhost's.
    /// </summary>
    /// <param name="physicalPath">The file or directory the request maps to, or null when it maps to none.</param>
    /// <param name="isDirectory">Whether <paramref name="physicalPath"/> is a directory (else its parent is walked).</param>
    /// <param name="uri">The decoded request path.</param>
    /// <param name="context">Needed only when &lt;If&gt; sections exist; without it they do not apply.</param>
    /// <param name="exists">Whether <paramref name="physicalPath"/> exists: the walk of a missing path is not cached.</param>
    /// <param name="accessFiles">The access files' sections the directory walk read, shallowest first (<see cref="AccessFileParser"/>), or null.</param>
    public ModuleConfigVector WalkSections(string? physicalPath, bool isDirectory, string uri, IExpressionContext? context = null, bool exists = true, IReadOnlyList<DirSection>? accessFiles = null) =>
        (_walker ?? throw new InvalidOperationException("The configuration is not loaded yet")).Walk(physicalPath, isDirectory, uri, context, exists, accessFiles);

    /// <summary>A module-kept section's records merged over <paramref name="baseVector"/> (mod_proxy's proxy_walk: ap_merge_per_dir_configs).</summary>
    public ModuleConfigVector MergeDirConfig(ModuleConfigVector baseVector, ModuleConfigVector section) =>
        (_walker ?? throw new InvalidOperationException("The configuration is not loaded yet")).Merge(baseVector, section);

    /// <summary>The estimated bytes the section walk's caches hold (for tests).</summary>
    internal long SectionCacheBytes => _walker?.CachedBytes ?? 0;

    internal void SetWalker(SectionWalker walker) => _walker = walker;

    public override string ToString() => IsVirtual ? "<VirtualHost " + string.Join(' ', Addresses) + "> " + File + ":" + Line : "main server";
}
