using System.Globalization;
using System.Text;
using Pluma.Config;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Common;
using Pluma.Modules.Core;
using Pluma.Modules.CoreRequest;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Rewrite;

/// <summary>
/// mod_rewrite's request hooks: translate_name for the rules of the server and its virtual
/// hosts (hook_uri2file, before mod_alias), and fixups for the rules of &lt;Directory&gt; sections
/// and .htaccess files (hook_fixup), whose result is an internal redirect, plus the forced
/// type and handler of [T] and [H] (hook_mimetype).
/// </summary>
internal static class RewriteHooks
{
    private const string DefaultDocumentRoot = "/var/www/html";
    private const string ProxyHandler = "proxy-server";

    public static RewriteServerConfig? ServerConfig(RequestRecord r, ModuleDescriptor d)
    {
        RewriteServerConfig? conf = r.Server.Config.ModuleConfig.Get<RewriteServerConfig>(d);
        if (conf is not null && r.Server.IsVirtual
            && ReferenceEquals(conf, r.Runtime.MainServer.Config.ModuleConfig.Get<RewriteServerConfig>(d)))
        {
            conf = conf.ForVirtualHostWithoutDirectives;
        }

        return conf;
    }

    /// <summary>hook_uri2file.</summary>
    public static int TranslateName(RequestRecord r, ModuleDescriptor d)
    {
        RewriteServerConfig? conf = ServerConfig(r, d);
        if (conf is null || !conf.Enabled)
        {
            return HookResult.Declined;
        }

        if ((conf.EffectiveOptions & RewriteOptionBits.AnyUri) == 0 && (r.Uri.Length == 0 || r.Uri[0] != '/'))
        {
            RewriteLog.Trace(r, 8, null, "Declining, request-URI '" + r.Uri + "' is not a URL-path. Consult the manual entry for the RewriteOptions directive for options and caveats about matching other strings.");
            return HookResult.Declined;
        }

        SetScriptUrl(r);
        if (r.Filename is null)
        {
            r.Filename = r.Uri;
            RewriteLog.Trace(r, 2, null, "init rewrite engine with requested uri " + r.Filename);
        }
        else
        {
            RewriteLog.Trace(r, 2, null, "init rewrite engine with passed filename " + r.Filename + ". Original uri = " + r.Uri);
        }

        string? oargs = r.Args;
        var ctx = new RewriteContext(r, null, conf);
        RewriteAction action = RewriteEngine.ApplyList(r, conf.Rules, ctx, out int status);
        if (action == RewriteAction.None)
        {
            RewriteLog.Trace(r, 1, null, "pass through " + r.Filename);
            r.Filename = null;
            return HookResult.Declined;
        }

        int skip = RewriteUrl.AbsoluteSchemeLength(r.Filename!, out _);
        if (RewrittenQueryIsUnsafe(r, action, skip, "AH10410"))
        {
            return 403;
        }

        if (action == RewriteAction.Status)
        {
            return status;
        }

        string filename = r.Filename!;
        if (filename.StartsWith("proxy:", StringComparison.Ordinal))
        {
            if (!ProxyAvailable(r))
            {
                r.Server.ErrorLog.Write(LogLevel.Error, RewriteLog.Module, "AH00669: attempt to make remote request from mod_rewrite without proxy enabled: " + filename, LogClient.Of(r));
                return 403;
            }

            if (action == RewriteAction.NoEscape)
            {
                r.Notes["proxy-nocanon"] = "1";
            }

            if (r.PathInfo is not null)
            {
                r.Filename += r.PathInfo;
            }

            if (r.Args is not null && action == RewriteAction.NoEscape)
            {
                r.Filename += "?" + r.Args;
            }

            r.Handler = ProxyHandler;
            RewriteLog.Trace(r, 1, null, "go-ahead with proxy request " + r.Filename + " [OK]");
            return HookResult.Ok;
        }

        if (skip > 0)
        {
            return Redirect(r, ctx, action, skip, oargs, null);
        }

        if (filename.StartsWith("passthrough:", StringComparison.Ordinal))
        {
            // [PT]: the result goes on to mod_alias and core as if the client had asked for it.
            r.Uri = filename["passthrough:".Length..];
            r.Filename = null;
            return HookResult.Declined;
        }

        RewriteLog.Trace(r, 2, null, "local path result: " + filename);
        if (filename.Length == 0 || filename[0] != '/')
        {
            return 400;
        }

        bool reduced = (conf.EffectiveOptions & RewriteOptionBits.LegacyPrefixDocRoot) == 0 && r.Notes.ContainsKey("mod_rewrite_uri_reduced");
        if (!PrefixStat(r, filename, ctx.LastSubstitution) || reduced)
        {
            string uri = r.Uri;
            r.Uri = filename;
            int res = CoreFileMapper.TranslateName(r);
            r.Uri = uri;
            if (res != HookResult.Ok)
            {
                RewriteLog.Trace(r, 1, null, "prefixing with document_root of " + filename + " FAILED");
                return res;
            }

            RewriteLog.Trace(r, 2, null, "prefixed with document_root to " + r.Filename);
        }

        RewriteLog.Trace(r, 1, null, "go-ahead with " + r.Filename + " [OK]");
        return HookResult.Ok;
    }

    /// <summary>hook_fixup, then hook_mimetype's forced type and handler.</summary>
    public static int Fixup(RequestRecord r, ModuleDescriptor d)
    {
        int rc = PerDirectory(r, d);
        if (rc is HookResult.Ok or HookResult.Declined)
        {
            ApplyForcedTypeAndHandler(r);
        }

        return rc;
    }

    private static int PerDirectory(RequestRecord r, ModuleDescriptor d)
    {
        RewriteDirConfig? dconf = r.DirConfig.Get<RewriteDirConfig>(d);
        if (dconf is null || !dconf.Enabled || dconf.Directory is null)
        {
            return HookResult.Declined;
        }

        string dir = dconf.Directory;
        bool isProxy = r.Handler == ProxyHandler && r.Filename is not null && r.Filename.StartsWith("proxy:", StringComparison.Ordinal);

        // The .htaccess of /foo/ is read for "/foo" too: leave that to mod_dir's redirect (unless AllowNoSlash).
        if (!isProxy && (dconf.EffectiveOptions & RewriteOptionBits.NoSlash) == 0 && r.Filename is { } fn
            && fn.Length == dir.Length - 1 && dir.StartsWith(fn, StringComparison.Ordinal))
        {
            return HookResult.Declined;
        }

        for (RequestRecord? p = r; p is not null; p = p.Previous)
        {
            if (p.HasNotes && p.Notes.ContainsKey(RewriteEngine.EndNote))
            {
                RewriteLog.Trace(r, 8, dir, "Declining, no further rewriting due to END flag");
                return HookResult.Declined;
            }
        }

        if ((r.Core.EffectiveOptions & (CoreOptions.FollowSymLinks | CoreOptions.SymLinksIfOwnerMatch)) == 0)
        {
            r.Server.ErrorLog.Write(LogLevel.Error, RewriteLog.Module, "AH00670: Options FollowSymLinks and SymLinksIfOwnerMatch are both off, so the RewriteRule directive is also forbidden due to its similar ability to circumvent directory restrictions : " + r.Filename, LogClient.Of(r));
            return 403;
        }

        string? ofilename = r.Filename;
        string? oargs = r.Args;
        if (r.Filename is null)
        {
            r.Filename = r.Uri;
            RewriteLog.Trace(r, 2, dir, "init rewrite engine with requested uri " + r.Filename);
        }

        var ctx = new RewriteContext(r, dir, ServerConfig(r, d) ?? new RewriteServerConfig()) { BaseUrl = dconf.BaseUrl };
        RewriteAction action = RewriteEngine.ApplyList(r, dconf.Rules, ctx, out int status);
        if (action == RewriteAction.None)
        {
            RewriteLog.Trace(r, 1, dir, "pass through " + r.Filename);
            r.Filename = ofilename;
            return HookResult.Declined;
        }

        int skip = RewriteUrl.AbsoluteSchemeLength(r.Filename!, out _);
        if (RewrittenQueryIsUnsafe(r, action, skip, "AH10411"))
        {
            return 403;
        }

        if (action == RewriteAction.Status)
        {
            return status;
        }

        string filename = r.Filename!;
        if (filename.StartsWith("proxy:", StringComparison.Ordinal))
        {
            if (!ProxyAvailable(r))
            {
                r.Server.ErrorLog.Write(LogLevel.Error, RewriteLog.Module, "AH10160: attempt to make remote request from mod_rewrite without proxy enabled: " + filename, LogClient.Of(r));
                return 403;
            }

            if (r.Args is not null)
            {
                r.Filename += "?" + r.Args;
            }

            r.Handler = ProxyHandler;
            RewriteLog.Trace(r, 1, dir, "go-ahead with proxy request " + r.Filename + " [OK]");
            return HookResult.Ok;
        }

        if (skip > 0)
        {
            return Redirect(r, ctx, action, skip, oargs, dconf);
        }

        if (filename.StartsWith("passthrough:", StringComparison.Ordinal))
        {
            // [PT] means nothing in a directory: the file name is used as it is.
            filename = filename["passthrough:".Length..];
            r.Filename = filename;
        }

        RewriteLog.Trace(r, 2, null, "local path result: " + filename);
        if (filename.Length == 0 || filename[0] != '/')
        {
            return 400;
        }

        if (ofilename is not null && filename == ofilename)
        {
            RewriteLog.Trace(r, 1, dir, "initial URL equal rewritten URL: " + filename + " [IGNORING REWRITE]");
            return HookResult.Ok;
        }

        if (dconf.BaseUrl is { } baseUrl)
        {
            RewriteLog.Trace(r, 2, dir, "trying to replace prefix " + dir + " with " + baseUrl);
            string replaced = RewriteUrl.SubstPrefixPath(filename, dir, baseUrl);
            if (!ReferenceEquals(replaced, filename))
            {
                RewriteLog.Trace(r, 5, null, "strip matching prefix: " + filename + " -> " + filename[(dir.TrimEnd('/').Length + 1)..]);
                RewriteLog.Trace(r, 4, null, "add subst prefix: " + filename[(dir.TrimEnd('/').Length + 1)..] + " -> " + replaced);
            }

            filename = replaced;
        }
        else
        {
            string root = r.DocumentRoot ?? r.Server.Core.DocumentRoot ?? DefaultDocumentRoot;
            int l = root.EndsWith('/') ? root.Length - 1 : root.Length;
            if (filename.Length > l && string.CompareOrdinal(filename, 0, root, 0, l) == 0 && filename[l] == '/')
            {
                RewriteLog.Trace(r, 2, dir, "strip document_root prefix: " + filename + " -> " + filename[l..]);
                filename = filename[l..];
            }
        }

        RewriteLog.Trace(r, 1, dir, "internal redirect with " + filename + " [INTERNAL REDIRECT]");
        r.Filename = "redirect:" + filename;
        r.Handler = "redirect-handler";
        if (r.IsSubRequest)
        {
            return HookResult.Ok; // a look-up runs no handler: the redirect is only what it found
        }

        // handler_redirect → ap_internal_redirect: the new URI is parsed, unescaped and cleaned
        // of dot segments as a request line's would be.
        string? uri = UnescapeForRedirect(filename);
        if (uri is null)
        {
            return 400;
        }

        return r.InternalRedirect(uri, r.Args);
    }

    /// <summary>The external redirect both hooks end in: escaping, the query string, and a Location that cannot split the header.</summary>
    private static int Redirect(RequestRecord r, RewriteContext ctx, RewriteAction action, int skip, string? oargs, RewriteDirConfig? dconf)
    {
        string? perDir = dconf?.Directory;
        string filename = r.Filename!;
        if (dconf?.BaseUrl is { } baseUrl && perDir is not null)
        {
            int slash = filename.IndexOf('/', skip);
            if (slash >= 0 && slash + 1 < filename.Length)
            {
                RewriteLog.Trace(r, 2, perDir, "trying to replace prefix " + perDir + " with " + baseUrl);
                string tail = filename[(slash + 1)..];
                string replaced = RewriteUrl.SubstPrefixPath(tail, perDir[0] == '/' ? perDir[1..] : perDir, baseUrl[1..]);
                if (replaced != tail)
                {
                    filename = filename[..(slash + 1)] + replaced;
                }
            }
        }

        if (action != RewriteAction.NoEscape)
        {
            RewriteLog.Trace(r, 1, perDir, "escaping " + filename + " for redirect");
            filename = RewriteUrl.EscapeAbsolute(filename, skip);
        }

        if (r.Args is { } args)
        {
            bool noEscape = action == RewriteAction.NoEscape || (oargs is not null && args == oargs);
            string appended = noEscape ? args : SelfUrl.EscapePath(args);
            filename += "?" + appended;
            RewriteLog.Trace(r, 1, perDir, (noEscape ? "copying " : "escaping ") + args + " to query string for redirect " + (noEscape ? string.Empty : appended));
        }

        int status = ctx.RedirectStatus is >= 300 and <= 399 ? ctx.RedirectStatus : 302;
        filename = RewriteUrl.HeaderSafe(filename);
        r.Filename = filename;
        r.Response.Headers.Set("Location", filename);
        RewriteLog.Trace(r, 1, perDir, "redirect to " + filename + " [REDIRECT/" + status.ToString(CultureInfo.InvariantCulture) + "]");
        return status;
    }

    /// <summary>
    /// prefix_stat (2.4.60 and later): a result whose first path segment exists is a file-system
    /// path only when the rule's own substitution text starts with that segment (or the rule has
    /// [UnsafePrefixStat]); otherwise it is a URL-path under the document root.
    /// </summary>
    private static bool PrefixStat(RequestRecord r, string path, RewriteRuleEntry? lastSub)
    {
        int slash = path.IndexOf('/', 1);
        string statPath = slash < 0 ? path : path[..slash];
        if (statPath.Length <= 1 || !FileStatus.Of(statPath).Exists)
        {
            return false;
        }

        if (lastSub is null)
        {
            RewriteLog.Trace(r, 3, null, "prefix_stat no lastsub subst prefix " + statPath);
            return true;
        }

        bool unsafeOk = lastSub.Has(RuleFlags.UnsafePrefixStat);
        RewriteLog.Trace(r, 3, null, "prefix_stat compare statpath " + statPath + " and lastsub output " + lastSub.Output + " STATOK " + (unsafeOk ? "1" : "0") + " ");
        if (unsafeOk)
        {
            return true;
        }

        // What Debian's 2.4.71 answers: only a substitution that starts with a backreference is
        // kept from naming a file-system path (a %{VAR} at the start, e.g. DOCUMENT_ROOT, is not).
        string o = lastSub.Output;
        bool starts = !(o.Length > 1 && (o[0] == '$' || o[0] == '%') && char.IsAsciiDigit(o[1]));
        RewriteLog.Trace(r, 3, null, "prefix_stat startsWith(" + lastSub.Output + ", " + statPath + ") " + (starts ? "1" : "0"));
        return starts;
    }

    private static void ApplyForcedTypeAndHandler(RequestRecord r)
    {
        if (!r.HasNotes)
        {
            return;
        }

        if (r.Notes.TryGetValue(RewriteEngine.ForcedTypeNote, out string? type) && type.Length > 0)
        {
            RewriteLog.Trace(r, 1, null, "force filename " + r.Filename + " to have MIME-type '" + type + "'");
            r.ContentType = type;
        }

        if (r.Notes.TryGetValue(RewriteEngine.ForcedHandlerNote, out string? handler) && handler.Length > 0)
        {
            RewriteLog.Trace(r, 1, null, "force filename " + r.Filename + " to have the Content-handler '" + handler + "'");
            r.Handler = handler;
        }
    }

    /// <summary>SCRIPT_URL and SCRIPT_URI in the request's environment, as hook_uri2file sets them.</summary>
    private static void SetScriptUrl(RequestRecord r)
    {
        string url = r.HasEnvironment && r.Environment.TryGetValue("REDIRECT_SCRIPT_URL", out string? v) ? v : r.Uri;
        r.Environment["SCRIPT_URL"] = url;
        string host = ServerUrl.RequestHost(r);
        int port = ServerUrl.RequestPort(r);
        r.Environment["SCRIPT_URI"] = "http://" + host + (port == 80 ? string.Empty : ":" + port.ToString(CultureInfo.InvariantCulture)) + url;
    }

    private static bool ProxyAvailable(RequestRecord r)
    {
        foreach (HttpModule m in r.Runtime.Modules)
        {
            if (m.Name == "proxy_module")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>ap_unescape_url and ap_getparents on a redirect target; null for a bad escape or a path above the root.</summary>
    private static string? UnescapeForRedirect(string path)
    {
        byte[] raw = Encoding.UTF8.GetBytes(path);
        if (Pluma.Http.Protocol.UrlPath.Check(raw) is Pluma.Http.Protocol.UrlPathProblem.BadEscape or Pluma.Http.Protocol.UrlPathProblem.EncodedNul)
        {
            return null;
        }

        return Pluma.Http.Protocol.UrlPath.Normalize(Pluma.Http.Protocol.UrlPath.Decode(raw, decodeSlashes: true), mergeSlashes: false);
    }

    /// <summary>
    /// A rewritten query string with controls or spaces is refused (403) unless it goes out in an
    /// external redirect that escapes it; logs <paramref name="ahId"/> (AH10410 in server context,
    /// AH10411 per directory, as Apache's two hooks do).
    /// </summary>
    private static bool RewrittenQueryIsUnsafe(RequestRecord r, RewriteAction action, int skip, string ahId)
    {
        if (r.Args is not { } args || (skip > 0 && action != RewriteAction.NoEscape) || !RewriteUrl.HasControlOrSpace(args))
        {
            return false;
        }

        r.Server.ErrorLog.Write(LogLevel.Error, RewriteLog.Module, ahId + ": Rewritten query string contains control characters or spaces", LogClient.Of(r));
        return true;
    }
}
