using System.Collections.Generic;
using System.Linq;
using Pluma.Connections.Diagnostics;
using Pluma.Http;
using Pluma.Modules.Core;
using Pluma.Modules.CoreRequest;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Pipeline;

/// <summary>
/// Apache's request processing (request.c, http_request.c) as the HTTP engine's application:
/// choose the server, then run the phases of <see cref="HttpModule"/> over the loaded modules,
/// answer errors with ErrorDocument or Apache's error page, and log.
/// </summary>
public sealed class RequestPipeline : IHttpApplication<PipelineRequest>, IInternalRedirect
{
    // Apache's LimitInternalRecursion default: a redirect loop ends with a 500.
    private const int MaxInternalRedirects = 10;

    private readonly ServerRuntime _runtime;
    private readonly VirtualHostTable _hosts;
    private readonly HttpModule[] _postRead, _headerParsers, _translate, _mapFirst, _map, _types, _fixups, _inserters, _errorInserters, _handlers, _loggers;
    // Per server, its footer identity for each ServerSignature value (indexed by the enum): the
    // per-directory ServerSignature picks one without allocating.
    private readonly Dictionary<VirtualServer, ServerIdentity[]> _identities = [];

    public RequestPipeline(ServerRuntime runtime)
    {
        _runtime = runtime;
        _hosts = new VirtualHostTable(runtime.MainServer, runtime.VirtualHosts);
        IReadOnlyList<HttpModule> m = runtime.Modules;
        _postRead = m.Where(x => x.PostReadRequest is not null).ToArray();
        _headerParsers = m.Where(x => x.HeaderParser is not null).ToArray();
        _translate = m.Where(x => x.TranslateName is not null).OrderBy(x => x.TranslateNameOrder).ToArray();
        _mapFirst = m.Where(x => x.MapToStorage is not null && x.MapToStorageFirst).ToArray();
        _map = m.Where(x => x.MapToStorage is not null && !x.MapToStorageFirst).ToArray();
        _types = m.Where(x => x.TypeChecker is not null).OrderBy(x => x.TypeCheckerOrder).ToArray();
        _fixups = m.Where(x => x.Fixups is not null).OrderBy(x => x.FixupsOrder).ToArray();
        _inserters = m.Where(x => x.InsertFilter is not null).ToArray();
        _errorInserters = m.Where(x => x.InsertErrorFilter is not null).ToArray();
        _handlers = m.Where(x => x.Handler is not null).OrderBy(x => x.HandlerOrder).ToArray();
        _loggers = m.Where(x => x.Log is not null).ToArray();
        foreach (VirtualServer s in runtime.VirtualHosts.Append(runtime.MainServer))
        {
            _identities[s] = IdentitiesOf(s, runtime.Info.Banner);
        }
    }

    /// <inheritdoc/>
    public PipelineRequest CreateContext(HttpContext http, PipelineRequest? reusable)
    {
        if (reusable is null)
        {
            return new PipelineRequest(http);
        }

        reusable.Http = http;
        return reusable;
    }

    /// <inheritdoc/>
    public void ProcessRequest(PipelineRequest request)
    {
        HttpContext context = request.Http;
        string? host = context.Request.Host;
        VirtualServer server = _hosts.Select(context.Request.LocalEndPoint, host, out bool named);
        RequestRecord r = TakeRecord(request, server, server.Core.MergeSlashes == false ? UnmergedPath(context.Request) : context.Request.Path);
        context.Identity = IdentityFor(r);
        context.ReportVirtualHost(server.ServerName);
        r.Args = context.Request.QueryString;
        request.Current = r;
        RequestTrace.RequestReceived(r);
        int status = !named && host is not null && server.Core.StrictHostCheck == true ? RefuseUnknownHost(r, host) : Run(r);
        if (status > 0)
        {
            SendError(r, status);
        }
    }

    /// <summary>StrictHostCheck On (vhost.c check_hostalias): a Host that no ServerName or ServerAlias of the address names.</summary>
    private static int RefuseUnknownHost(RequestRecord r, string host)
    {
        string defined = r.Server.Config.File is { } file ? file + ":" + r.Server.Config.Line.ToString(System.Globalization.CultureInfo.InvariantCulture) : r.Server.ServerName;
        r.Server.ErrorLog.Write(LogLevel.Warn, "core", "AH10157: Requested hostname '" + host + "' did not match any ServerName/ServerAlias in the matching virtual host (default vhost for current connection is " + defined + ")", LogClient.Of(r));
        return 400;
    }

    /// <inheritdoc/>
    public void LogRequest(PipelineRequest request)
    {
        RequestRecord? r = request.Current;
        if (r is null)
        {
            // Refused by the engine before a server was chosen: Apache logs it on the default server.
            VirtualServer server = _hosts.Select(request.Http.Request.LocalEndPoint, null);
            r = TakeRecord(request, server, SafePath(request.Http));
            request.Current = r;
        }

        foreach (HttpModule m in _loggers)
        {
            try
            {
                m.Log!(r);
            }
            catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException)
            {
                r.Server.ErrorLog.Write(LogLevel.Error, "log_config", "PL00004: cannot write the access log: " + e.Message);
            }
        }
    }

    /// <inheritdoc/>
    public void DisposeContext(PipelineRequest request)
    {
        // Logged (or abandoned): nothing refers to the request any more, so its first record
        // serves the engine's next one.
        RequestRecord? r = request.Current;
        request.Current = null;
        if (r is null)
        {
            return;
        }

        while (r.Previous is not null)
        {
            r = r.Previous;
        }

        request.Spare = r;
    }

    /// <summary>The engine's spare record made fresh for a new request, or a new one.</summary>
    private RequestRecord TakeRecord(PipelineRequest request, VirtualServer server, string uri)
    {
        RequestRecord? spare = request.Spare;
        if (spare is null)
        {
            return new RequestRecord(request.Http, _runtime, server, uri) { Pipeline = this, Transaction = request };
        }

        request.Spare = null;
        spare.Reuse(request.Http, server, uri);
        return spare;
    }

    /// <summary>
    /// Serves <paramref name="uri"/> in place of the current request (Apache's
    /// ap_internal_redirect), e.g. DirectoryIndex or a local ErrorDocument. Returns
    /// <see cref="HookResult.Done"/> or the error status the new request ended with.
    /// </summary>
    public int InternalRedirect(RequestRecord from, string uri, string? args = null)
    {
        int depth = 0;
        for (RequestRecord? p = from; p is not null; p = p.Previous)
        {
            depth++;
        }

        if (depth > MaxInternalRedirects)
        {
            from.Server.ErrorLog.Write(LogLevel.Error, "core", "AH00124: Request exceeded the limit of 10 internal redirects due to probable configuration error. Use 'LimitInternalRecursion' to increase the limit if necessary. Use 'LogLevel debug' to get a backtrace.", LogClient.Of(from));
            return 500;
        }

        var next = new RequestRecord(from.Http, _runtime, from.Server, uri)
        {
            Args = args ?? from.Args,
            Method = from.Method, // ap_internal_redirect keeps r->method (a CGI's local redirect made it GET)
            Previous = from,
            Pipeline = this,
            Transaction = from.Transaction,
            VariantListValidator = from.VariantListValidator,
        };
        if (from.HasEnvironment)
        {
            foreach (var (k, v) in from.Environment)
            {
                next.Environment["REDIRECT_" + k] = v;
            }
        }

        // internal_internal_redirect: every redirected request carries the status it came from
        // (200 for mod_rewrite's, the error's for an ErrorDocument); PHP-FPM and CGIs read it.
        next.Environment["REDIRECT_STATUS"] = from.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);

        if (from.Transaction is { } request)
        {
            request.Current = next; // the log phase logs where the redirects ended
        }

        // The new request builds its own filter chain (internal_internal_redirect starts it
        // from the protocol's filters).
        if (!from.Response.HasStarted)
        {
            from.Response.RemoveOutputFilters();
            from.Response.RemoveHeadHooks();
        }

        return Run(next);
    }

    /// <inheritdoc/>
    public int LookupUri(RequestRecord from, string uri, out RequestRecord sub)
    {
        string? args = null;
        int q = uri.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            args = uri[(q + 1)..];
            uri = uri[..q];
        }

        sub = NewSubRequest(from, uri, args, null);
        return RunSubRequest(sub);
    }

    /// <inheritdoc/>
    public int LookupFile(RequestRecord from, string path, out RequestRecord sub)
    {
        // ap_sub_req_lookup_file: a relative name is in the directory of the request's file; a name
        // in that very directory keeps the request's URI directory, any other gets Apache's marker URI.
        string fdir = from.Filename is { } f && f.LastIndexOf('/') is int slash and >= 0 ? f[..(slash + 1)] : "/";
        string file = path.StartsWith('/') ? path : fdir + path;
        file = System.IO.Path.GetFullPath(file);
        string uri = "INTERNALLY GENERATED file-relative req";
        if (file.StartsWith(fdir, StringComparison.Ordinal) && file.Length > fdir.Length && file.IndexOf('/', fdir.Length) < 0)
        {
            string udir = from.Uri.LastIndexOf('/') is int us and >= 0 ? from.Uri[..(us + 1)] : "/";
            uri = udir + file[fdir.Length..];
        }

        sub = NewSubRequest(from, uri, null, file);
        return RunSubRequest(sub);
    }

    private RequestRecord NewSubRequest(RequestRecord from, string uri, string? args, string? file) =>
        new(from.Http, _runtime, from.Server, uri)
        {
            Args = args,
            Method = "GET", // ap_sub_req_lookup_* ask as GET
            Filename = file,
            Main = from,
            IsSubRequest = true,
            Pipeline = this,
        };

    // The sub-request's status: 200 when it could go to its handler, else the error it ended with.
    private int RunSubRequest(RequestRecord sub)
    {
        int depth = 0;
        for (RequestRecord? m = sub.Main; m is not null; m = m.Main)
        {
            depth++;
        }

        if (depth > MaxInternalRedirects)
        {
            sub.Server.ErrorLog.Write(LogLevel.Error, "core", "AH00125: Request exceeded the limit of 10 subrequest nesting levels due to probable configuration error. Use 'LimitInternalRecursion' to increase the limit if necessary. Use 'LogLevel debug' to get a backtrace.", LogClient.Of(sub));
            return 500;
        }

        // What the look-up's phases add to the response's fields is its own (Apache keeps them in
        // the sub-request's headers_out): the fields are restored afterwards.
        HttpResponseHeaders headers = sub.Response.Headers;
        var saved = new List<KeyValuePair<string, string>>(headers.Count);
        for (int i = 0; i < headers.Count; i++)
        {
            saved.Add(new(headers.GetName(i), headers.GetValue(i)));
        }

        int rc;
        try
        {
            rc = ProcessInternal(sub);
        }
        catch (System.IO.IOException)
        {
            rc = 500;
        }
        catch (UnauthorizedAccessException)
        {
            rc = 403;
        }

        RestoreFields(headers, saved);

        return rc is HookResult.Ok or HookResult.Declined or HookResult.Done ? 200 : rc;
    }

    private static void RestoreFields(HttpResponseHeaders headers, List<KeyValuePair<string, string>> saved)
    {
        bool same = headers.Count == saved.Count;
        for (int i = 0; same && i < saved.Count; i++)
        {
            same = headers.GetName(i) == saved[i].Key && headers.GetValue(i) == saved[i].Value;
        }

        if (same)
        {
            return;
        }

        while (headers.Count > 0)
        {
            headers.Remove(headers.GetName(0));
        }

        foreach (var (k, v) in saved)
        {
            headers.Add(k, v);
        }
    }

    private int Run(RequestRecord r)
    {
        try
        {
            int status = RunPhases(r);
            return status == HookResult.Ok ? HookResult.Done : status;
        }
        catch (System.IO.IOException e)
        {
            r.Server.ErrorLog.Write(LogLevel.Error, "core", "PL00005: " + e.Message, LogClient.Of(r));
            return 500;
        }
        catch (UnauthorizedAccessException)
        {
            r.Server.ErrorLog.Write(LogLevel.Error, "core", "AH00035: access to " + r.Uri + " denied (filesystem path '" + r.Filename + "') because search permissions are missing on a component of the path", LogClient.Of(r));
            return 403;
        }
    }

    private int RunPhases(RequestRecord r)
    {
        HttpRequest req = r.Request;
        int rc = All(_postRead, r, static (m, x) => m.PostReadRequest!(x));
        if (rc != HookResult.Ok)
        {
            return rc;
        }

        if (req.RawTargetBytes.SequenceEqual("*"u8))
        {
            // OPTIONS * is about the server, not a resource: Apache answers 200 with an empty body
            // and no Allow header (http_core.c).
            ProtocolVariables.Apply(r);
            r.Response.ContentLength = 0;
            return HookResult.Done;
        }

        CoreServerConfig core = r.Server.Core;
        if (req.HasEncodedSlash && !string.Equals(core.AllowEncodedSlashes, "on", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(core.AllowEncodedSlashes, "nodecode", StringComparison.OrdinalIgnoreCase))
        {
            r.Server.ErrorLog.Write(LogLevel.Info, "core", "AH00026: found %2f (encoded '/') in URI path (" + req.RawTarget + "), returning 404", LogClient.Of(r));
            return 404;
        }

        rc = ProcessInternal(r);
        if (rc != HookResult.Ok)
        {
            return rc;
        }

        ProtocolVariables.Apply(r);
        r.Http.Identity = IdentityFor(r);
        // ap_invoke_handler: insert_filter runs just before the handler, so filters know the type.
        foreach (HttpModule m in _inserters)
        {
            m.InsertFilter!(r);
        }

        rc = First(_handlers, r, static (m, x) => m.Handler!(x));
        return rc == HookResult.Declined ? DefaultHandler.Handle(r) : rc;
    }

    /// <summary>
    /// ap_process_request_internal: translate_name (not for a file look-up, which has its file
    /// already) through fixups. Ok when the request may go to its handler, else the status or Done.
    /// </summary>
    private int ProcessInternal(RequestRecord r)
    {
        int rc = HookResult.Declined;
        if (!(r.IsSubRequest && r.Filename is not null))
        {
            rc = First(_translate, r, static (m, x) => m.TranslateName!(x));
            if (rc == HookResult.Declined)
            {
                rc = CoreFileMapper.TranslateName(r);
            }
        }

        if (rc > 0 || rc == HookResult.Done)
        {
            return rc;
        }

        rc = First(_mapFirst, r, static (m, x) => m.MapToStorage!(x));
        if (rc > 0 || rc == HookResult.Done)
        {
            return rc;
        }

        if (rc == HookResult.Declined)
        {
            rc = CoreFileMapper.MapToStorage(r);
            if (rc != HookResult.Ok)
            {
                return rc;
            }

            rc = First(_map, r, static (m, x) => m.MapToStorage!(x));
            if (rc > 0 || rc == HookResult.Done)
            {
                return rc;
            }
        }

        CoreDirConfig dir = r.Core;
        if (!r.IsSubRequest)
        {
            // header_parser and the body limit belong to the request the client sent, never to a look-up.
            rc = All(_headerParsers, r, static (m, x) => m.HeaderParser!(x));
            if (rc != HookResult.Ok)
            {
                return rc;
            }

            r.Http.LimitRequestBody = dir.LimitRequestBody ?? r.Http.LimitRequestBody;
        }

        rc = AccessPhase.Run(r, r.Main ?? r.Previous);
        if (rc != HookResult.Ok)
        {
            return rc;
        }

        if (r.User is null)
        {
            RequestTrace.AuthorizedWithoutAuthentication(r);
        }

        rc = First(_types, r, static (m, x) => m.TypeChecker!(x));
        if (rc > 0 || rc == HookResult.Done)
        {
            return rc;
        }

        // core's ForceType and SetHandler win over mod_mime (core.c's type_checker runs last).
        if (!string.IsNullOrEmpty(dir.ForceType))
        {
            r.ContentType = dir.ForceType;
        }

        if (dir.SetHandler is not null)
        {
            r.Handler = dir.SetHandler.Length == 0 ? null : dir.SetHandler;
        }

        foreach (HttpModule m in _fixups)
        {
            rc = m.Fixups!(r);
            if (rc != HookResult.Ok && rc != HookResult.Declined)
            {
                return rc;
            }
        }

        return HookResult.Ok;
    }

    /// <summary>A RUN_ALL hook: every module runs; the first status other than OK or DECLINED ends the phase (OK when none).</summary>
    private static int All(HttpModule[] modules, RequestRecord r, Func<HttpModule, RequestRecord, int> hook)
    {
        foreach (HttpModule m in modules)
        {
            int rc = hook(m, r);
            if (rc != HookResult.Ok && rc != HookResult.Declined)
            {
                return rc;
            }
        }

        return HookResult.Ok;
    }

    private static int First(HttpModule[] modules, RequestRecord r, Func<HttpModule, RequestRecord, int> hook)
    {
        foreach (HttpModule m in modules)
        {
            int rc = hook(m, r);
            if (rc != HookResult.Declined)
            {
                return rc;
            }
        }

        return HookResult.Declined;
    }

    private void SendError(RequestRecord r, int status)
    {
        r.OriginalStatus ??= status;
        ProtocolVariables.Apply(r);
        r.Http.Identity = IdentityFor(r);
        foreach (HttpModule m in _errorInserters)
        {
            m.InsertErrorFilter!(r); // ap_send_error_response's insert_error_filter
        }

        CoreDirConfig dir = r.Core;
        if (dir.ErrorDocuments.TryGetValue(status, out string? doc) && !r.Response.HasStarted && r.Previous?.OriginalStatus is null)
        {
            if (ErrorDocumentTarget.IsMessage(doc))
            {
                // ErrorDocument 404 "text": the text is the body, as ap_send_error_response sends it.
                r.Response.BeginErrorResponse();
                byte[] body = System.Text.Encoding.UTF8.GetBytes(doc, 1, doc.Length - 1);
                r.Response.StatusCode = status;
                r.Response.ContentType = "text/html; charset=iso-8859-1";
                if (!r.Request.IsHead)
                {
                    // On HEAD Apache sends no body and so no length (ap_send_error_response).
                    r.Response.ContentLength = body.Length;
                    r.Response.Write(body);
                }

                return;
            }

            if (doc == ErrorDocumentTarget.Default)
            {
                r.Http.SendErrorPage(status);
                return;
            }

            if (doc.StartsWith('/'))
            {
                r.Environment["STATUS"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                r.Response.StatusCode = status;
                int q = doc.IndexOf('?', StringComparison.Ordinal);
                int rc = InternalRedirect(r, q < 0 ? doc : doc[..q], q < 0 ? null : doc[(q + 1)..]);
                if (rc is HookResult.Done or HookResult.Ok)
                {
                    return;
                }

                // The error document itself failed: Apache appends a note and sends its page.
            }
            else
            {
                r.Response.Headers.Set("Location", doc);
                r.Http.SendErrorPage(302);
                return;
            }
        }

        // mod_negotiation's 300 and 406 pages list the variants (r->notes "variant-list").
        string? notes = status is 300 or 406 && r.Notes.TryGetValue("variant-list", out string? list) ? list : r.ErrorNotes;
        r.Http.SendErrorPage(status, notes);
    }

    /// <summary>
    /// MergeSlashes Off: the path decoded and without dot segments, its runs of '/' kept (the
    /// engine's path merges them, Apache's default).
    /// </summary>
    private static string UnmergedPath(HttpRequest request)
    {
        ReadOnlySpan<byte> raw = request.RawPathBytes;
        if (raw.IndexOf("//"u8) < 0)
        {
            return request.Path;
        }

        return Pluma.Http.Protocol.UrlPath.Normalize(Pluma.Http.Protocol.UrlPath.Decode(raw, decodeSlashes: false), mergeSlashes: false) ?? request.Path;
    }

    private static string SafePath(HttpContext c)
    {
        try
        {
            return c.Request.Path;
        }
        catch (InvalidOperationException)
        {
            return "/";
        }
    }

    /// <summary>
    /// The footer identity for <paramref name="r"/>'s merged per-directory ServerSignature
    /// (ap_psignature reads core_dir_config of r->per_dir_config, so a &lt;Directory&gt; or
    /// &lt;Location&gt; may turn it on, off or to EMail; unset is Off, Apache's default).
    /// </summary>
    private ServerIdentity IdentityFor(RequestRecord r) =>
        _identities[r.Server][(int)SignatureOf(r.Core.ServerSignature)];

    private static ServerSignature SignatureOf(string? value) => value switch
    {
        "on" => ServerSignature.On,
        "email" => ServerSignature.EMail,
        _ => ServerSignature.Off,
    };

    private static ServerIdentity[] IdentitiesOf(VirtualServer s, string banner)
    {
        var baseline = new ServerIdentity
        {
            ServerName = s.ServerName,
            Port = s.NamedPort ?? s.Port,
            ServerAdmin = s.Core.ServerAdmin ?? "[no address given]",
            Banner = banner,
        };
        return
        [
            baseline with { Signature = ServerSignature.Off },
            baseline with { Signature = ServerSignature.On },
            baseline with { Signature = ServerSignature.EMail },
        ];
    }
}
