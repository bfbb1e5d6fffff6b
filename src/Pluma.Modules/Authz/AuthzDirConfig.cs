using System.Collections.Generic;

namespace Pluma.Modules.Authz;

/// <summary>
/// mod_authz_core's per-directory record: the Require tree of this section (an implicit
/// &lt;RequireAny&gt; around its Require lines), AuthMerging and AuthzSendForbiddenOnFailure.
/// </summary>
public sealed class AuthzDirConfig
{
    private readonly Stack<AuthzNode> _open = new();

    /// <summary>The rules in force; null: no authorization configured (access allowed).</summary>
    public AuthzNode? Root { get; private set; }

    public AuthMerging Merging { get; set; }

    public bool? SendForbiddenOnFailure { get; set; }

    /// <summary>The container new Require lines go into while the configuration is read.</summary>
    internal AuthzNode Current
    {
        get
        {
            if (_open.Count > 0)
            {
                return _open.Peek();
            }

            return Root ??= new AuthzNode { Logic = AuthzLogic.Any, LimitedToChildren = true };
        }
    }

    internal void Open(AuthzNode section)
    {
        Current.Children.Add(section);
        _open.Push(section);
    }

    internal void Close() => _open.Pop();

    /// <summary>merge_authz_core_dir_config: Off (or unset) replaces the parent's rules, And/Or combine them.</summary>
    public static AuthzDirConfig Merge(AuthzDirConfig parent, AuthzDirConfig child)
    {
        if (child.Merging == AuthMerging.Unset && child.Root is null)
        {
            return new AuthzDirConfig
            {
                Root = parent.Root,
                Merging = parent.Merging,
                SendForbiddenOnFailure = child.SendForbiddenOnFailure ?? parent.SendForbiddenOnFailure,
            };
        }

        if (child.Merging is AuthMerging.Off or AuthMerging.Unset || (parent.Root is null && child.Root is null))
        {
            return child;
        }

        AuthzNode? root;
        if (parent.Root is null)
        {
            root = child.Root;
        }
        else if (child.Root is null)
        {
            root = parent.Root;
        }
        else
        {
            root = new AuthzNode { Logic = child.Merging == AuthMerging.And ? AuthzLogic.All : AuthzLogic.Any, LimitedToChildren = true };
            root.Children.Add(parent.Root);
            root.Children.Add(child.Root);
        }

        return new AuthzDirConfig
        {
            Root = root,
            Merging = child.Merging,
            SendForbiddenOnFailure = child.SendForbiddenOnFailure ?? parent.SendForbiddenOnFailure,
        };
    }
}
