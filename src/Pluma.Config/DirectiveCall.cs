using System.Collections.Generic;
using Pluma.Config.Processing;

namespace Pluma.Config;

/// <summary>
/// One occurrence of a directive being applied (httpd's <c>cmd_parms</c> plus the split
/// arguments). Context and argument count are already checked when the handler runs.
/// </summary>
public sealed class DirectiveCall
{
    private readonly ConfigProcessor _processor;
    private readonly ProcessContext _context;

    internal DirectiveCall(ConfigProcessor processor, ProcessContext context, ModuleDescriptor module, DirectiveDefinition directive, ConfigNode node, IReadOnlyList<string> args, bool flagValue)
    {
        _processor = processor;
        _context = context;
        Module = module;
        Directive = directive;
        Node = node;
        Args = args;
        FlagValue = flagValue;
    }

    public DirectiveDefinition Directive { get; }

    public ModuleDescriptor Module { get; }

    /// <summary>The tree node: name as written, raw arguments, children of a module-defined section.</summary>
    public ConfigNode Node { get; }

    /// <summary>The words for this call (one word per call for Iterate, two for Iterate2).</summary>
    public IReadOnlyList<string> Args { get; }

    /// <summary>The unsplit arguments (for <see cref="DirectiveArgs.RawArgs"/>).</summary>
    public string RawArgs => Node.Args;

    /// <summary><see cref="RawArgs"/> split into words as httpd's ap_getword_conf splits them (quotes, escapes).</summary>
    public List<string> RawWords() => Parsing.ConfigWord.Split(RawArgs);

    /// <summary>On (true) or Off (false) for <see cref="DirectiveArgs.Flag"/>.</summary>
    public bool FlagValue { get; }

    public string File => Node.File;

    public int Line => Node.Line;

    public ServerConfig Server => _context.Server;

    public bool IsVirtualHost => _context.Server.IsVirtual;

    /// <summary>Whether LoadModule (or the static list) has loaded the module named <paramref name="moduleName"/> (e.g. deflate_module).</summary>
    public bool IsModuleLoaded(string moduleName) => _processor.IsModuleLoaded(moduleName);

    /// <summary>The module's record for the current server (created on first use).</summary>
    public object? ServerRecord => _processor.GetServerRecord(_context, Module);

    /// <summary>The module's record for the current section, or the server's defaults outside sections.</summary>
    public object? DirRecord => _processor.GetDirRecord(_context, Module);

    /// <summary>The innermost per-directory section, or None at server level.</summary>
    public SectionKind Section => _context.Section;

    /// <summary>The section's path or pattern (httpd's <c>cmd-&gt;path</c>), null at server level.</summary>
    public string? SectionPath => _context.SectionPath;

    /// <summary>Methods of the enclosing &lt;Limit&gt; (or the excluded ones of &lt;LimitExcept&gt;); null outside.</summary>
    public IReadOnlyList<string>? LimitedMethods => _context.Limited;

    public bool IsLimitExcept => _context.LimitExcept;

    /// <summary>Whether the directive comes from an access file (.htaccess) read for a request.</summary>
    public bool InAccessFile => _context.AccessFile is not null;

    /// <summary>
    /// httpd's <c>cmd-&gt;override_opts</c>: the Options bits (of the module defining Options) this
    /// place may switch; every bit in the server's files, AllowOverride Options=... in an access file.
    /// </summary>
    public int OverrideOptions => _context.OverrideOptions;

    public string ServerRoot => _processor.ServerRoot;

    public T GetServerRecord<T>()
        where T : class => ServerRecord as T ?? throw MissingRecord("server");

    public T GetDirRecord<T>()
        where T : class => DirRecord as T ?? throw MissingRecord("directory");

    /// <summary>A path relative to ServerRoot made absolute (httpd's ap_server_root_relative).</summary>
    public string ResolvePath(string path) => _processor.ResolvePath(path);

    public void AddWarning(string id, string message) =>
        _processor.Warnings.Add(new ConfigWarning(id, message, File, Line));

    /// <summary>For module-defined sections: applies the children in the current context. Errors are thrown with their own line.</summary>
    public string? ProcessChildren()
    {
        _processor.ProcessChildren(Node, _context);
        return null;
    }

    /// <summary>
    /// For a module's own per-directory section (mod_proxy's &lt;Proxy&gt;): applies the children
    /// to a fresh record vector, as in a &lt;Location&gt;, and returns it. The section is the
    /// module's to keep; the server's section walk never sees it.
    /// </summary>
    public ModuleConfigVector ProcessChildrenInSection(SectionKind kind, string path) =>
        _processor.ProcessDetachedSection(Node, _context, kind, path);

    private InvalidOperationException MissingRecord(string kind) =>
        new("Module " + Module.Name + " has no " + kind + " record of the requested type for " + Directive.Name);
}
