namespace Pluma.Modules.VhostAlias;

/// <summary>mod_vhost_alias' per-server record: one format for documents, one for /cgi-bin/ scripts.</summary>
public sealed class VhostAliasServerConfig
{
    public VhostAliasMode DocumentRootMode { get; set; }

    /// <summary>The VirtualDocumentRoot[IP] format, or null for "none" and unset.</summary>
    public string? DocumentRoot { get; set; }

    public VhostAliasMode ScriptAliasMode { get; set; }

    /// <summary>The VirtualScriptAlias[IP] format, or null for "none" and unset.</summary>
    public string? ScriptAlias { get; set; }

    /// <summary>A virtual host that says nothing about one of the two keeps the main server's.</summary>
    public static VhostAliasServerConfig Merge(VhostAliasServerConfig main, VhostAliasServerConfig vhost)
    {
        var merged = new VhostAliasServerConfig();
        (merged.DocumentRootMode, merged.DocumentRoot) = vhost.DocumentRootMode == VhostAliasMode.Unset
            ? (main.DocumentRootMode, main.DocumentRoot)
            : (vhost.DocumentRootMode, vhost.DocumentRoot);
        (merged.ScriptAliasMode, merged.ScriptAlias) = vhost.ScriptAliasMode == VhostAliasMode.Unset
            ? (main.ScriptAliasMode, main.ScriptAlias)
            : (vhost.ScriptAliasMode, vhost.ScriptAlias);
        return merged;
    }
}
