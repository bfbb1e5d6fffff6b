using System.Collections.Generic;
using System.Threading;

namespace Pluma.Config;

/// <summary>
/// A compiled-in module: httpd's <c>module</c> struct minus the hooks. Config records are plain
/// objects that the module casts back to its own record types. Create functions run lazily, as
/// httpd's do: a section gets a module's dir record only when one of its directives is used there.
/// </summary>
public sealed class ModuleDescriptor
{
    private IReadOnlyList<DirectiveDefinition>? _directives;
    private Func<IReadOnlyList<DirectiveDefinition>>? _makeDirectives;

    public ModuleDescriptor(string name, string sourceFile, IReadOnlyList<DirectiveDefinition>? directives = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(sourceFile);
        Name = name;
        SourceFile = sourceFile;
        _directives = directives ?? [];
    }

    /// <summary>
    /// A module whose directive table is built the first time it is asked for: only a loaded
    /// module's table is (the directive lookup covers loaded modules only, <see cref="ModuleSet"/>).
    /// Children are exec'd, so every table built is private to each child; an unloaded module's
    /// definitions and their handler delegates would be about 130 bytes a directive of GC heap
    /// for nothing (bench/README.md, "Directive tables built for loaded modules only").
    /// </summary>
    public ModuleDescriptor(string name, string sourceFile, Func<IReadOnlyList<DirectiveDefinition>> directives)
        : this(name, sourceFile, (IReadOnlyList<DirectiveDefinition>?)null)
    {
        ArgumentNullException.ThrowIfNull(directives);
        _directives = null;
        _makeDirectives = directives;
    }

    /// <summary>As LoadModule spells it: <c>mime_module</c>, <c>mpm_event_module</c>.</summary>
    public string Name { get; }

    /// <summary>As httpd's <c>-l</c> prints it and &lt;IfModule&gt; also accepts: <c>mod_mime.c</c>, <c>event.c</c>.</summary>
    public string SourceFile { get; }

    /// <summary>Always loaded and printed "(static)" by -M (Debian: core so watchdog http log_config logio version unixd).</summary>
    public bool IsStatic { get; init; }

    public IReadOnlyList<DirectiveDefinition> Directives => Volatile.Read(ref _directives) ?? MakeDirectives();

    /// <summary>create_server_config: a fresh per-server record.</summary>
    public Func<object>? CreateServerConfig { get; init; }

    /// <summary>merge_server_config(base = main server, add = virtual host) returns a new record.</summary>
    public Func<object, object, object>? MergeServerConfig { get; init; }

    /// <summary>create_dir_config(section path, or null for the server's defaults).</summary>
    public Func<string?, object>? CreateDirConfig { get; init; }

    /// <summary>merge_dir_config(base = outer, add = the more specific section) returns a new record.</summary>
    public Func<object, object, object>? MergeDirConfig { get; init; }

    /// <summary>Position in the registry; indexes <see cref="ModuleConfigVector"/>.</summary>
    internal int Index { get; set; } = -1;

    /// <summary>
    /// Builds the table once. Two threads may race here (an .htaccess file read under a threaded
    /// MPM): the first table published wins, so every caller sees the same definitions.
    /// </summary>
    private IReadOnlyList<DirectiveDefinition> MakeDirectives()
    {
        IReadOnlyList<DirectiveDefinition> made = _makeDirectives!();
        return Interlocked.CompareExchange(ref _directives, made, null) ?? made;
    }

    public override string ToString() => Name;
}
