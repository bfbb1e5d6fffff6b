namespace Pluma.Http;

/// <summary>ServerSignature: the footer of Apache's generated pages.</summary>
public enum ServerSignature
{
    /// <summary>No footer (Apache's compiled default).</summary>
    Off,

    /// <summary><c>&lt;address&gt;banner Server at name Port n&lt;/address&gt;</c> (Debian's security.conf).</summary>
    On,

    /// <summary>As On, with the server name as a mailto: link to ServerAdmin.</summary>
    EMail,
}
