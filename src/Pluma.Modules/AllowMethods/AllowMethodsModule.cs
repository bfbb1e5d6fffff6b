using System.Collections.Generic;
using Pluma.Config;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.AllowMethods;

/// <summary>
/// mod_allowmethods: <c>AllowMethods GET POST ...</c> (or <c>reset</c>) in a per-directory
/// section; a request with another method is answered 405 in the access phase, before any other
/// access check (APR_HOOK_REALLY_FIRST), with AH01623. GET allows HEAD, as both have M_GET. The
/// 405's Allow field is what Apache's error page gets there: TRACE alone (none when TraceEnable
/// is off), since no handler has said what the resource allows.
/// </summary>
public static class AllowMethodsModule
{
    public const string Name = "allowmethods_module";

    // httpd's built-in methods (http_protocol.c's methods_registry): only these have a number.
    private static readonly HashSet<string> s_known = new(StringComparer.Ordinal)
    {
        "GET", "HEAD", "PUT", "POST", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "PROPFIND",
        "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "VERSION-CONTROL", "CHECKOUT",
        "UNCHECKOUT", "CHECKIN", "UPDATE", "LABEL", "REPORT", "MKWORKSPACE", "MKACTIVITY",
        "BASELINE-CONTROL", "MERGE",
    };

    public static HttpModule Create()
    {
        var descriptor = new ModuleDescriptor(Name, "mod_allowmethods.c", () =>
        [
            new DirectiveDefinition("AllowMethods", DirectiveArgs.RawArgs, DirectiveScope.AccessConf, "only allow specific methods", SetMethods),
        ])
        {
            CreateDirConfig = _ => new AllowMethodsDirConfig(),
            MergeDirConfig = (b, a) => AllowMethodsDirConfig.Merge((AllowMethodsDirConfig)b, (AllowMethodsDirConfig)a),
        };
        return new HttpModule(descriptor)
        {
            CheckAccess = r => CheckAccess(r, descriptor),
            CheckAccessFirst = true,
        };
    }

    /// <summary>am_allowmethods.</summary>
    private static string? SetMethods(DirectiveCall call)
    {
        List<string> words = call.RawWords();
        if (words.Count == 0)
        {
            return "AllowMethods: No method or 'reset' keyword given";
        }

        AllowMethodsDirConfig config = call.GetDirRecord<AllowMethodsDirConfig>();
        config.IsSet = true;
        config.Allowed.Clear();
        if (words.Count == 1 && words[0].Equals("reset", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (string method in words)
        {
            if (!s_known.Contains(method))
            {
                return "AllowMethods: Invalid Method '" + method + "'";
            }

            config.Allowed.Add(method == "HEAD" ? "GET" : method);
        }

        return null;
    }

    /// <summary>am_check_access.</summary>
    private static int CheckAccess(RequestRecord r, ModuleDescriptor descriptor)
    {
        AllowMethodsDirConfig? config = r.DirConfig.Get<AllowMethodsDirConfig>(descriptor);
        if (config is null || config.Allowed.Count == 0)
        {
            return HookResult.Declined;
        }

        string method = r.Request.Method;
        if (config.Allowed.Contains(method == "HEAD" ? "GET" : method))
        {
            return HookResult.Declined;
        }

        r.Server.ErrorLog.Write(LogLevel.Error, "allowmethods", "AH01623: client method denied by server configuration: '" + method + "' to "
            + (r.Filename is null ? "uri " + r.Uri : r.Filename), LogClient.Of(r));
        bool trace = !string.Equals(r.Server.Core.TraceEnable, "off", StringComparison.OrdinalIgnoreCase);
        r.Response.Headers.Set("Allow", trace ? "TRACE" : string.Empty);
        return 405;
    }
}
