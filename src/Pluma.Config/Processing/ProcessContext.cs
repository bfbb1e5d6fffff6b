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
    };
}
