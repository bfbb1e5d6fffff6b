using Pluma.Config;

namespace Pluma.Modules.Hosting;

/// <summary>
/// A module as the request path sees it: its configuration descriptor (directives and config
/// records, in Pluma.Config) plus the request phases it takes part in (Apache's hooks). Every hook is
/// optional. Phases run in this order for each request, over the loaded modules in load order
/// (mime before dir etc. follows from Debian's load order, which is alphabetical):
/// <list type="number">
/// <item><see cref="TranslateName"/> URI to file name, first non-declined wins (alias, then core)</item>
/// <item><see cref="MapToStorage"/> after the section walk, first non-declined wins</item>
/// <item><see cref="CheckAccess"/> access control (authz_core); any non-OK status ends the request</item>
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

    public Func<RequestRecord, int>? TranslateName { get; init; }

    public Func<RequestRecord, int>? MapToStorage { get; init; }

    public Func<RequestRecord, int>? CheckAccess { get; init; }

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

    /// <summary>Handler hooks run in this order among modules; lower first (core's file handler is last).</summary>
    public int HandlerOrder { get; init; }

    public override string ToString() => Name;
}
