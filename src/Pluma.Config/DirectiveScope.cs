namespace Pluma.Config;

/// <summary>
/// Where a directive may appear: httpd's <c>req_override</c> bits. A directive is allowed when
/// its scope shares a bit with what the current context permits:
/// the main server and <c>&lt;VirtualHost&gt;</c> permit <see cref="RsrcConf"/> and the override
/// classes except <see cref="OrLimit"/> and <see cref="OrAuthCfg"/>; <c>&lt;Directory&gt;</c>,
/// <c>&lt;Location&gt;</c>, <c>&lt;Files&gt;</c> and <c>&lt;If&gt;</c> permit <see cref="AccessConf"/>
/// and every override class.
/// </summary>
[Flags]
public enum DirectiveScope
{
    None = 0,
    /// <summary>OR_LIMIT: access control (allowed in .htaccess under AllowOverride Limit).</summary>
    OrLimit = 1,
    /// <summary>OR_OPTIONS.</summary>
    OrOptions = 2,
    /// <summary>OR_FILEINFO.</summary>
    OrFileInfo = 4,
    /// <summary>OR_AUTHCFG.</summary>
    OrAuthCfg = 8,
    /// <summary>OR_INDEXES.</summary>
    OrIndexes = 16,
    /// <summary>OR_ALL: every .htaccess override class.</summary>
    OrAll = OrLimit | OrOptions | OrFileInfo | OrAuthCfg | OrIndexes,
    /// <summary>ACCESS_CONF: inside &lt;Directory&gt;, &lt;Location&gt;, &lt;Files&gt; and &lt;If&gt;.</summary>
    AccessConf = 64,
    /// <summary>RSRC_CONF: the main server and &lt;VirtualHost&gt;, outside per-directory sections.</summary>
    RsrcConf = 128,
    /// <summary>Anywhere a directive can go in the server's own files (RSRC_CONF | ACCESS_CONF | OR_ALL).</summary>
    Anywhere = RsrcConf | AccessConf | OrAll,
}
