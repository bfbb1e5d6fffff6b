namespace Pluma.Modules.Authz;

/// <summary>How a node combines: a single Require line, &lt;RequireAny&gt; (OR), &lt;RequireAll&gt; (AND).</summary>
public enum AuthzLogic
{
    Require,
    Any,
    All,
}
