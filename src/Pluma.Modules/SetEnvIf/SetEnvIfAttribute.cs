namespace Pluma.Modules.SetEnvIf;

/// <summary>What a SetEnvIf rule tests (mod_setenvif.c's enum special): a request attribute, or a header.</summary>
public enum SetEnvIfAttribute
{
    /// <summary>A request header named literally (or, without one, a variable set by an earlier rule).</summary>
    Header,

    /// <summary>Every request header whose name matches a regex (the last one that matches).</summary>
    HeaderNameRegex,
    RemoteAddr,
    RemoteHost,
    RemoteUser,
    RequestUri,
    RequestMethod,
    RequestProtocol,
    ServerAddr,

    /// <summary>SetEnvIfExpr: an ap_expr condition.</summary>
    Expression,
}
