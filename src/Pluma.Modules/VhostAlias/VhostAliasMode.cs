namespace Pluma.Modules.VhostAlias;

/// <summary>Which name a VirtualDocumentRoot or VirtualScriptAlias format is filled from (mod_vhost_alias' mva_mode_e).</summary>
public enum VhostAliasMode
{
    /// <summary>Not said in this server: the main server's setting applies.</summary>
    Unset,

    /// <summary>"none": no interpolation here, even if the main server has one.</summary>
    None,

    /// <summary>The server name of the request (VirtualDocumentRoot, VirtualScriptAlias).</summary>
    Name,

    /// <summary>The local IP address the connection came in on (the *IP forms).</summary>
    Ip,
}
