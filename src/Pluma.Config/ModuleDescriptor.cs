using System.Collections.Generic;

namespace Pluma.Config;

/// <summary>
/// A compiled-in module: httpd's <c>module</c> struct minus the hooks. Config records are plain
/// objects that the module casts back to its own record types. Create functions run lazily, as
/// httpd's do: a section gets a module's dir record only when one of its directives is used there.
/// </summary>
public sealed class ModuleDescriptor
{
    public ModuleDescriptor(string name, string sourceFile, IReadOnlyList<DirectiveDefinition>? directives = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(sourceFile);
        Name = name;
        SourceFile = sourceFile;
        Directives = directives ?? [];
    }

    /// <summary>As LoadModule spells it: <c>mime_module</c>, <c>mpm_event_module</c>.</summary>
    public string Name { get; }

    /// <summary>As httpd's <c>-l</c> prints it and &lt;IfModule&gt; also accepts: <c>mod_mime.c</c>, <c>event.c</c>.</summary>
    public string SourceFile { get; }

    /// <summary>Always loaded and printed "(static)" by -M (Debian: core so watchdog http log_config logio version unixd).</summary>
    public bool IsStatic { get; init; }

    public IReadOnlyList<DirectiveDefinition> Directives { get; }

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

    public override string ToString() => Name;
}
