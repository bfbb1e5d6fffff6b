namespace Pluma.Config;

/// <summary>
/// One entry of a module's directive table: httpd's <c>command_rec</c>. Names match
/// case-insensitively; a name starting with '&lt;' declares a section whose children the handler
/// walks with <see cref="DirectiveCall.ProcessChildren"/>.
/// </summary>
public sealed class DirectiveDefinition
{
    public DirectiveDefinition(string name, DirectiveArgs args, DirectiveScope scope, string? help, DirectiveHandler? handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Args = args;
        Scope = scope;
        Help = help;
        Handler = handler;
    }

    public string Name { get; }

    public DirectiveArgs Args { get; }

    public DirectiveScope Scope { get; }

    /// <summary>httpd's <c>errmsg</c>: appended to argument-count errors ("X takes one argument, HELP").</summary>
    public string? Help { get; }

    /// <summary>Null only for <see cref="NotImplemented"/> directives.</summary>
    public DirectiveHandler? Handler { get; }

    public ContextRestrictions Restrictions { get; init; }

    /// <summary>
    /// Accepted (context and arguments are still checked) but does nothing yet; the loader warns
    /// once per directive name with PL00001.
    /// </summary>
    public bool NotImplemented { get; init; }

    /// <summary>A directive the module declares but does not implement yet.</summary>
    public static DirectiveDefinition Pending(string name, DirectiveArgs args, DirectiveScope scope, string? help = null) =>
        new(name, args, scope, help, null) { NotImplemented = true };

    public override string ToString() => Name;
}
