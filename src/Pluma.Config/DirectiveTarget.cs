namespace Pluma.Config;

/// <summary>Which of the module's records a generic binder writes: the per-server or the per-directory one.</summary>
public enum DirectiveTarget
{
    Server,
    Directory,
}
