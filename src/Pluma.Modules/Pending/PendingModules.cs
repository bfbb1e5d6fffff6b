using Pluma.Config;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Pending;

/// <summary>
/// Modules Debian enables by default whose behaviour is not built yet: their directive tables
/// are complete (names, contexts, argument shapes and help texts as in Apache) so that Debian's
/// tree loads, and every directive is Pending (the loader warns PL00001 once per name).
/// </summary>
public static class PendingModules
{
    private const DirectiveScope FileInfo = DirectiveScope.OrFileInfo;
    private const DirectiveScope AuthCfg = DirectiveScope.OrAuthCfg;
    private const DirectiveScope Rsrc = DirectiveScope.RsrcConf;

    /// <summary>All of them, in Debian's (alphabetical) order (access_compat, deflate and filter are built: Authz, Deflate, Filter).</summary>
    public static HttpModule[] All() =>
        [AuthBasic(), AuthnCore(), AuthnFile(), AuthzUser(), Env(), Negotiation(), SetEnvIf()];

    public static HttpModule AuthBasic() => Make("auth_basic_module", "mod_auth_basic.c",
        P("AuthBasicProvider", DirectiveArgs.Iterate, AuthCfg, "specify the auth providers for a directory or location"),
        P("AuthBasicAuthoritative", DirectiveArgs.Flag, AuthCfg,
            "Set to 'Off' to allow access control to be passed along to lower modules if the UserID is not known to this module"),
        P("AuthBasicFake", DirectiveArgs.Take12, AuthCfg,
            "Fake basic authentication using the given expressions for username and password, 'off' to disable."),
        P("AuthBasicUseDigestAlgorithm", DirectiveArgs.Take1, AuthCfg,
            "Set to 'MD5' to use the auth provider's authentication check for digest auth"));

    public static HttpModule AuthnCore() => Make("authn_core_module", "mod_authn_core.c",
        P("AuthType", DirectiveArgs.Take1, AuthCfg, "an HTTP authorization type (e.g., \"Basic\")"),
        P("AuthName", DirectiveArgs.Take1, AuthCfg, "the authentication realm (e.g. \"Members Only\")"),
        P("<AuthnProviderAlias", DirectiveArgs.Take12, Rsrc,
            "container for grouping an authentication provider's directives under a provider alias"));

    public static HttpModule AuthnFile() => Make("authn_file_module", "mod_authn_file.c",
        P("AuthUserFile", DirectiveArgs.Take12, AuthCfg, "text file containing user IDs and passwords"));

    /// <summary>authz_user adds the "user" and "valid-user" Require providers, which authz_core parses.</summary>
    public static HttpModule AuthzUser() => Make("authz_user_module", "mod_authz_user.c");

    public static HttpModule Env() => Make("env_module", "mod_env.c",
        P("PassEnv", DirectiveArgs.Iterate, FileInfo, "a list of environment variables to pass to CGI."),
        P("SetEnv", DirectiveArgs.Take12, FileInfo, "an environment variable name and optional value to pass to CGI."),
        P("UnsetEnv", DirectiveArgs.Iterate, FileInfo, "a list of variables to remove from the CGI environment."));

    public static HttpModule Negotiation() => Make("negotiation_module", "mod_negotiation.c",
        P("CacheNegotiatedDocs", DirectiveArgs.Flag, Rsrc, "Either 'on' or 'off' (default)"),
        P("LanguagePriority", DirectiveArgs.Iterate, FileInfo, "space-delimited list of MIME language abbreviations"),
        P("ForceLanguagePriority", DirectiveArgs.Iterate, FileInfo,
            "Force LanguagePriority elections, either None, or Fallback and/or Prefer"));

    public static HttpModule SetEnvIf() => Make("setenvif_module", "mod_setenvif.c",
        P("SetEnvIf", DirectiveArgs.RawArgs, FileInfo, "A header-name, regex and a list of variables."),
        P("SetEnvIfNoCase", DirectiveArgs.RawArgs, FileInfo, "a header-name, regex and a list of variables."),
        P("SetEnvIfExpr", DirectiveArgs.RawArgs, FileInfo, "an expression and a list of variables"),
        P("BrowserMatch", DirectiveArgs.RawArgs, FileInfo, "A browser regex and a list of variables."),
        P("BrowserMatchNoCase", DirectiveArgs.RawArgs, FileInfo, "A browser regex and a list of variables."));

    private static DirectiveDefinition P(string name, DirectiveArgs args, DirectiveScope scope, string help) =>
        DirectiveDefinition.Pending(name, args, scope, help);

    private static HttpModule Make(string name, string source, params DirectiveDefinition[] directives) =>
        new(new ModuleDescriptor(name, source, directives));
}
