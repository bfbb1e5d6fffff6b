using Pluma.Config;

namespace Pluma.Modules.Hosting;

/// <summary>
/// A module as the request path sees it: its configuration descriptor (directives and config
/// records, in Pluma.Config) plus the request phases it takes part in (Apache's hooks). Every hook is
/// optional. Phases run in this order for each request, over the loaded modules in load order
/// (mime before dir etc. follows from Debian's load order, which is alphabetical):
/// <list type="number">
/// <item><see cref="PostReadRequest"/> all run, before the URI is mapped (setenvif's server-wide rules)</item>
/// <item><see cref="TranslateName"/> URI to file name, first non-declined wins (alias, then core)</item>
/// <item><see cref="MapToStorage"/> after the section walk, first non-declined wins</item>
/// <item><see cref="HeaderParser"/> all run after the section walk (setenvif's per-directory rules); any non-OK status ends the request</item>
/// <item><see cref="CheckAccess"/>, <see cref="CheckAccessEx"/>, <see cref="CheckUserId"/>, <see cref="AuthChecker"/>:
/// access control, authentication and authorization in the order <see cref="AccessPhase"/> runs them</item>
/// <item><see cref="TypeChecker"/> content type and handler, first non-declined wins (mime)</item>
/// <item><see cref="Fixups"/> all run (dir's DirectorySlash and DirectoryIndex)</item>
/// <item><see cref="InsertFilter"/> all run just before the handler: add output filters for this request (filter)</item>
/// <item><see cref="Handler"/> the response, first non-declined wins (status, autoindex, then core's file handler)</item>
/// <item><see cref="Log"/> all run after the response (log_config)</item>
/// </list>
/// </summary>
public sealed class HttpModule
{
    public HttpModule(ModuleDescriptor descriptor)
    {
        Descriptor = descriptor;
    }

    public ModuleDescriptor Descriptor { get; }

    public string Name => Descriptor.Name;

    /// <summary>Called once per process after the configuration is loaded (Apache's post_config / child_init).</summary>
    public Action<ServerRuntime>? Initialize { get; init; }

    /// <summary>Apache's post_read_request: all run, on the request and on each internal redirect.</summary>
    public Func<RequestRecord, int>? PostReadRequest { get; init; }

    public Func<RequestRecord, int>? TranslateName { get; init; }

    public Func<RequestRecord, int>? MapToStorage { get; init; }

    /// <summary>Apache's header_parser: all run once the per-directory configuration is merged.</summary>
    public Func<RequestRecord, int>? HeaderParser { get; init; }

    /// <summary>Apache's access_checker (access_compat's Allow/Deny): every module runs, a status ends the request.</summary>
    public Func<RequestRecord, int>? CheckAccess { get; init; }

    /// <summary>This module's <see cref="CheckAccess"/> runs before the others' (APR_HOOK_REALLY_FIRST: mod_allowmethods).</summary>
    public bool CheckAccessFirst { get; init; }

    /// <summary>Apache's access_checker_ex (authz_core without a user): OK grants, DECLINED asks for authentication.</summary>
    public Func<RequestRecord, int>? CheckAccessEx { get; init; }

    /// <summary>Apache's check_user_id / check_authn (auth_basic, then authn_core's fallback): first non-declined wins.</summary>
    public Func<RequestRecord, int>? CheckUserId { get; init; }

    /// <summary>Runs after every other module's <see cref="CheckUserId"/> (Apache's APR_HOOK_LAST: authn_core).</summary>
    public bool CheckUserIdLast { get; init; }

    /// <summary>Apache's auth_checker / check_authz (authz_core with the user): first non-declined wins.</summary>
    public Func<RequestRecord, int>? AuthChecker { get; init; }

    /// <summary>Apache's note_auth_failure for an AuthType (auth_basic's WWW-Authenticate); true when it knew the type.</summary>
    public Func<RequestRecord, string, bool>? NoteAuthFailure { get; init; }

    /// <summary>Apache's ap_satisfies (access_compat's Satisfy): true for "Satisfy Any".</summary>
    public Func<RequestRecord, bool>? SatisfyAny { get; init; }

    public Func<RequestRecord, int>? TypeChecker { get; init; }

    public Func<RequestRecord, int>? Fixups { get; init; }

    /// <summary>Apache's insert_filter hook: adds this request's output filters and head hooks (filter, headers).</summary>
    public Action<RequestRecord>? InsertFilter { get; init; }

    public Func<RequestRecord, int>? Handler { get; init; }

    /// <summary>Apache's insert_error_filter hook: runs before an error answer is sent (mod_headers' Header always).</summary>
    public Action<RequestRecord>? InsertErrorFilter { get; init; }

    /// <summary>The output filter this module registers (Apache's ap_register_output_filter), e.g. DEFLATE.</summary>
    public string? OutputFilterName { get; init; }

    /// <summary>Makes (or takes from a pool) the filter named <see cref="OutputFilterName"/> for one response.</summary>
    public Func<RequestRecord, Http.OutputFilter>? CreateOutputFilter { get; init; }

    public Action<RequestRecord>? Log { get; init; }

    /// <summary>Translate-name hooks run in this order among modules, lower first, then in load order (mod_rewrite's is <see cref="HookFirst"/>; mod_proxy's proxy_trans is <see cref="HookFirst"/> + 1: after mod_rewrite, before mod_alias).</summary>
    public int TranslateNameOrder { get; init; }

    /// <summary>This module's <see cref="MapToStorage"/> runs before core's directory walk (APR_HOOK_FIRST: mod_proxy's proxy_map_location); OK skips the walk.</summary>
    public bool MapToStorageFirst { get; init; }

    /// <summary>Type checkers run in this order among modules, lower first, then in load order (mod_negotiation's MultiViews is <see cref="HookFirst"/>).</summary>
    public int TypeCheckerOrder { get; init; }

    /// <summary>Fixups run in this order among modules, lower first, then in load order (mod_rewrite's per-directory rules are <see cref="HookFirst"/>).</summary>
    public int FixupsOrder { get; init; }

    /// <summary>Apache's APR_HOOK_FIRST relative to the default APR_HOOK_MIDDLE (0).</summary>
    public const int HookFirst = -10;

    /// <summary>Handler hooks run in this order among modules; lower first (core's file handler is last).</summary>
    public int HandlerOrder { get; init; }

    public override string ToString() => Name;
}
