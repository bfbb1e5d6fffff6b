using System.Collections.Generic;

namespace Pluma.Config.Processing;

/// <summary>Where in the tree the processor is: server, section vector, what is allowed there.</summary>
internal sealed class ProcessContext
{
    public required ServerConfig Server { get; init; }

    public required ModuleConfigVector Vector { get; init; }

    public required DirectiveScope Override { get; init; }

    public SectionKind Section { get; init; }

    public string? SectionPath { get; init; }

    public DirSection? DirSection { get; init; }

    public IReadOnlyList<string>? Limited { get; init; }

    public bool LimitExcept { get; init; }

    /// <summary>The enclosing section node as written, for "X not allowed in &lt;Y&gt; context".</summary>
    public ConfigNode? Parent { get; init; }

    /// <summary>Every enclosing section node, outermost first.</summary>
    public required IReadOnlyList<ConfigNode> Ancestors { get; init; }

    /// <summary>Set while an access file (.htaccess) is processed: what it may say (httpd's parms.override_list, nonfatal bits).</summary>
    public AccessFileOverrides? AccessFile { get; init; }

    /// <summary>httpd's <c>cmd-&gt;override_opts</c>: the Options a directive here may switch (every bit outside access files).</summary>
    public int OverrideOptions { get; init; } = -1;

    /// <summary>In an access file: where its top-level &lt;Files&gt; and &lt;If&gt; sections go (not the server's list).</summary>
    public List<DirSection>? TopSections { get; init; }

    public ProcessContext With(ConfigNode parent) => new()
    {
        Server = Server,
        Vector = Vector,
        Override = Override,
        Section = Section,
        SectionPath = SectionPath,
        DirSection = DirSection,
        Limited = Limited,
        LimitExcept = LimitExcept,
        Parent = parent,
        Ancestors = [.. Ancestors, parent],
        AccessFile = AccessFile,
        OverrideOptions = OverrideOptions,
        TopSections = TopSections,
    };
}
