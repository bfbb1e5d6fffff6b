using System.Collections.Generic;
using Pluma.Config;
using Pluma.Http;

namespace Pluma.Modules.Hosting;

/// <summary>
/// One request as the modules see it (Apache's request_rec): the HTTP exchange, the virtual host
/// that serves it, the merged per-directory configuration, and what the phases have decided so far
/// (file name, content type, handler ...). The pipeline keeps one per HTTP engine (<see cref="PipelineRequest"/>) and
/// <see cref="Reuse">reuses</see> it for the engine's next request once the previous one is logged,
/// so a plain request allocates none (internal redirects and sub-requests get records of their own).
/// </summary>
public sealed class RequestRecord
{
    public RequestRecord(HttpContext http, ServerRuntime runtime, VirtualServer server, string uri)
    {
        Http = http;
        Runtime = runtime;
        Server = server;
        Uri = uri;
        DirConfig = server.Config.DirDefaults;
    }

    public HttpContext Http { get; private set; }

    /// <summary>The pipeline serving this request (for internal redirects).</summary>
    public IInternalRedirect? Pipeline { get; init; }

    /// <summary>The pipeline's state for the request this record serves (its log phase logs the last redirect's record).</summary>
    internal PipelineRequest? Transaction { get; init; }

    /// <summary>core's merged per-directory record for this request.</summary>
    public Core.CoreDirConfig Core => DirConfig.Get<Core.CoreDirConfig>(Modules.Core.CoreModule.Descriptor) ?? s_emptyCore;

    private static readonly Core.CoreDirConfig s_emptyCore = new();

    /// <summary>
    /// Serves <paramref name="uri"/> instead of this request (Apache's ap_internal_redirect):
    /// DirectoryIndex, local ErrorDocuments. Returns the hook result to pass on.
    /// </summary>
    public int InternalRedirect(string uri, string? args = null) =>
        Pipeline?.InternalRedirect(this, uri, args) ?? throw new InvalidOperationException("no pipeline");

    /// <summary>ap_sub_req_lookup_uri: the phases up to the fixups for <paramref name="uri"/>; returns the look-up's status.</summary>
    public int LookupUri(string uri, out RequestRecord sub) =>
        (Pipeline ?? throw new InvalidOperationException("no pipeline")).LookupUri(this, uri, out sub);

    /// <summary>ap_sub_req_lookup_file: the same for a file, relative to this request's file's directory.</summary>
    public int LookupFile(string path, out RequestRecord sub) =>
        (Pipeline ?? throw new InvalidOperationException("no pipeline")).LookupFile(this, path, out sub);

    public HttpRequest Request => Http.Request;

    public HttpResponse Response => Http.Response;

    public ServerRuntime Runtime { get; }

    /// <summary>The virtual host chosen for this request (Apache's r->server).</summary>
    public VirtualServer Server { get; private set; }

    /// <summary>The decoded URI path being served (changes on internal redirects, e.g. DirectoryIndex).</summary>
    public string Uri { get; set; }

    /// <summary>The query string without '?', or null (Apache's r->args).</summary>
    public string? Args { get; set; }

    /// <summary>
    /// The method the handler sees (Apache's r->method): the request's, or GET after a CGI
    /// script's local Location redirect (mod_cgi turns the redirected request into a GET).
    /// </summary>
    public string Method
    {
        get => _method ?? Request.Method;
        set => _method = value;
    }

    private string? _method;

    /// <summary>Whether the connection is TLS (ap_http_scheme "https"; REQUEST_SCHEME, HTTPS).</summary>
    public bool IsSecure => Http.Connection.IsSecure;

    /// <summary>The URL prefix an Alias or ScriptAlias matched (Apache's ap_context_prefix, CONTEXT_PREFIX), or null.</summary>
    public string? ContextPrefix { get; set; }

    /// <summary>The directory that prefix maps to (ap_context_document_root, CONTEXT_DOCUMENT_ROOT), or null for DocumentRoot.</summary>
    public string? ContextDocumentRoot { get; set; }

    /// <summary>The document root of this request when a module set one (ap_set_document_root: mod_vhost_alias), or null for DocumentRoot.</summary>
    public string? DocumentRoot { get; set; }

    /// <summary>The file the URI maps to (Apache's r->filename), set by translate_name.</summary>
    public string? Filename { get; set; }

    /// <summary>Trailing path after the file name (Apache's r->path_info).</summary>
    public string? PathInfo { get; set; }

    /// <summary>stat of <see cref="Filename"/>, filled by the directory walk.</summary>
    public FileStatus FileInfo { get; set; } = FileStatus.Missing;

    /// <summary>The merged per-directory configuration (Apache's r->per_dir_config).</summary>
    public ModuleConfigVector DirConfig { get; set; }

    public string? ContentType { get; set; }

    /// <summary>The handler name (SetHandler, AddHandler) or null for the default file handler.</summary>
    public string? Handler { get; set; }

    public string? ContentEncoding { get; set; }

    /// <summary>
    /// mod_mime's "ap-mime-exceptions-list" for a MultiViews candidate: mod_negotiation sets an
    /// empty list before the type checkers run to ask for it; mod_mime fills it with the name
    /// parts it did not recognise, or sets it to null when it recognised none at all.
    /// </summary>
    public List<string>? MimeExceptions { get; set; }

    /// <summary>The variant list validator of a negotiated response (Apache's r->vlist_validator), joined to the ETag.</summary>
    public string? VariantListValidator { get; set; }

    // Most requests never touch these: they are created on first use, so a plain static-file
    // request allocates none of them.
    private List<string>? _contentLanguages;
    private Dictionary<string, string>? _notes;
    private Dictionary<string, string>? _environment;

    public List<string> ContentLanguages => _contentLanguages ??= [];

    /// <summary>Whether any Content-Language was set (without creating the list).</summary>
    public bool HasContentLanguages => _contentLanguages is { Count: > 0 };

    /// <summary>Notes between modules (Apache's r->notes).</summary>
    public Dictionary<string, string> Notes => _notes ??= new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether any note was set (without creating the table).</summary>
    public bool HasNotes => _notes is { Count: > 0 };

    /// <summary>Apache's "error-notes" note, which some error pages show (403), or null.</summary>
    public string? ErrorNotes => _notes is not null && _notes.TryGetValue("error-notes", out string? n) ? n : null;

    /// <summary>Environment variables of the request (Apache's r->subprocess_env, an apr table: names match without case).</summary>
    public Dictionary<string, string> Environment => _environment ??= new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether any request environment variable was set (without creating the table).</summary>
    public bool HasEnvironment => _environment is { Count: > 0 };

    /// <summary>A sub-request (Apache's r->main is set): what it adds to the response's headers is not sent.</summary>
    public bool IsSubRequest { get; init; }

    /// <summary>The request a look-up sub-request was made for (Apache's r->main), else null.</summary>
    public RequestRecord? Main { get; init; }

    /// <summary>The authenticated user, if any (%u).</summary>
    public string? User { get; set; }

    /// <summary>The request this one was internally redirected from (Apache's r->prev), for %&lt;s.</summary>
    public RequestRecord? Previous { get; set; }

    /// <summary>The status as first decided (before ErrorDocument redirects), for %&lt;s in logs.</summary>
    public int? OriginalStatus { get; set; }

    /// <summary>Makes this record a fresh one for the engine's next request (all decisions forgotten).</summary>
    internal void Reuse(HttpContext http, VirtualServer server, string uri)
    {
        Http = http;
        Server = server;
        Uri = uri;
        DirConfig = server.Config.DirDefaults;
        _method = ContextPrefix = ContextDocumentRoot = DocumentRoot = null;
        Args = Filename = PathInfo = ContentType = Handler = ContentEncoding = User = VariantListValidator = null;
        MimeExceptions = null;
        FileInfo = FileStatus.Missing;
        Previous = null;
        OriginalStatus = null;
        _contentLanguages = null;
        _notes = null;
        _environment = null;
    }

    /// <summary>The module's per-directory record for this request.</summary>
    public T DirRecord<T>(HttpModule module)
        where T : class => DirConfig.Get<T>(module.Descriptor) ?? throw new InvalidOperationException(module.Name + " has no dir config");

    /// <summary>The module's per-server record of the serving virtual host.</summary>
    public T ServerRecord<T>(HttpModule module)
        where T : class => Server.Config.ModuleConfig.Get<T>(module.Descriptor) ?? throw new InvalidOperationException(module.Name + " has no server config");
}
