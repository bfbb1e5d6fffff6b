using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text;
using Pluma.Http;
using Pluma.Modules.AuthnCore;
using Pluma.Modules.Common;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Script;

/// <summary>
/// The CGI/1.1 environment of one request (RFC 3875 section 4.1) exactly as Apache builds it in
/// server/util_script.c: <see cref="Build"/> is ap_add_common_vars followed by ap_add_cgi_vars
/// over the request's own variables (SetEnv, SetEnvIf, PassEnv, REDIRECT_*). mod_cgi turns it into
/// a process environment (<see cref="ToEnvironmentBlock"/>, ap_create_environment); proxy_fcgi
/// sends <see cref="Variables"/> as FastCGI parameters.
/// </summary>
public sealed class CgiEnvironment
{
    /// <summary>Apache's DEFAULT_PATH, used when neither the request nor the server has PATH.</summary>
    public const string DefaultPath = "/usr/local/bin:/usr/bin:/bin";

    private readonly List<KeyValuePair<string, string>> _variables = [];

    /// <summary>The variables in the order Apache's table holds them (names as given, not yet made shell-safe).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Variables => _variables;

    /// <summary>The value of <paramref name="name"/> (names match without case, as an apr table's), or null.</summary>
    public string? this[string name]
    {
        get
        {
            int i = IndexOf(name);
            return i < 0 ? null : _variables[i].Value;
        }
    }

    /// <summary>apr_table_set: replaces the first entry of that name (dropping any others) or appends.</summary>
    public void Set(string name, string value)
    {
        int i = IndexOf(name);
        if (i < 0)
        {
            _variables.Add(new(name, value));
            return;
        }

        _variables[i] = new(_variables[i].Key, value); // apr_table_set keeps the first entry's name
        for (int j = _variables.Count - 1; j > i; j--)
        {
            if (string.Equals(_variables[j].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                _variables.RemoveAt(j);
            }
        }
    }

    private int IndexOf(string name)
    {
        for (int i = 0; i < _variables.Count; i++)
        {
            if (string.Equals(_variables[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Removes every entry named <paramref name="name"/> (apr_table_unset).</summary>
    public void Unset(string name) => _variables.RemoveAll(v => string.Equals(v.Key, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// ap_add_common_vars + ap_add_cgi_vars for <paramref name="r"/>. The request's own variables
    /// (r->subprocess_env) come first; what Apache computes replaces a request variable of the
    /// same name, as its apr_table_overlap(..., APR_OVERLAP_TABLES_SET) does.
    /// </summary>
    public static CgiEnvironment Build(RequestRecord r)
    {
        var env = new CgiEnvironment();
        if (r.HasEnvironment)
        {
            foreach (var (name, value) in r.Environment)
            {
                env._variables.Add(new(name, value));
            }
        }

        AddCommonVariables(env, r);
        AddCgiVariables(env, r);
        return env;
    }

    /// <summary>
    /// ap_create_environment: "NAME=value" strings for execve. A name's characters other than
    /// ASCII letters and digits become '_', and a leading digit too, so a name the shell cannot
    /// hold (a SetEnvIf "downgrade-1.0") still arrives under a usable name.
    /// </summary>
    public string[] ToEnvironmentBlock()
    {
        var block = new string[_variables.Count];
        for (int i = 0; i < _variables.Count; i++)
        {
            var (name, value) = _variables[i];
            var sb = new StringBuilder(name.Length + value.Length + 1);
            for (int k = 0; k < name.Length; k++)
            {
                char c = name[k];
                sb.Append(k == 0 && char.IsAsciiDigit(c) ? '_' : char.IsAsciiLetterOrDigit(c) ? c : '_');
            }

            block[i] = sb.Append('=').Append(value).ToString();
        }

        return block;
    }

    /// <summary>
    /// http2env: "HTTP_" and the field name upper-cased with '-' as '_'; null for a name with any
    /// other character (Apache 2.4.11+ does not export it, so "X_Foo" cannot pose as "X-Foo").
    /// </summary>
    public static string? HeaderVariableName(string field)
    {
        var sb = new StringBuilder(5 + field.Length).Append("HTTP_");
        foreach (char c in field)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(char.ToUpperInvariant(c));
            }
            else if (c == '-')
            {
                sb.Append('_');
            }
            else
            {
                return null;
            }
        }

        return sb.ToString();
    }

    private static void AddCommonVariables(CgiEnvironment env, RequestRecord r)
    {
        // The request's fields first: Content-Type and Content-Length under their CGI names,
        // Proxy never (httpoxy), Authorization and Proxy-Authorization never (CGIPassAuth is not
        // built), every other field whose name is a token of letters, digits and '-'.
        HttpRequestHeaders headers = r.Request.Headers;
        var computed = new List<KeyValuePair<string, string>>(headers.Count + 24);
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < headers.Count; i++)
        {
            string name = headers.GetName(i);
            string value = headers.GetValue(i);
            string? variable = name.ToUpperInvariant() switch
            {
                "CONTENT-TYPE" => "CONTENT_TYPE",
                "CONTENT-LENGTH" => "CONTENT_LENGTH",
                "PROXY" or "AUTHORIZATION" or "PROXY-AUTHORIZATION" => null,
                _ => HeaderVariableName(name),
            };
            if (variable is null)
            {
                continue;
            }

            // Apache merges repeated request fields into one value joined by ", " as it reads them.
            if (seen.TryGetValue(variable, out int at))
            {
                computed[at] = new(variable, computed[at].Value + ", " + value);
            }
            else
            {
                seen[variable] = computed.Count;
                computed.Add(new(variable, value));
            }
        }

        string path = r.HasEnvironment && r.Environment.TryGetValue("PATH", out string? p) ? p
            : System.Environment.GetEnvironmentVariable("PATH") ?? DefaultPath;
        computed.Add(new("PATH", path));
        computed.Add(new("SERVER_SIGNATURE", Signature(r)));
        computed.Add(new("SERVER_SOFTWARE", r.Runtime.Info.Banner));
        computed.Add(new("SERVER_NAME", EscapeHtml(ServerUrl.RequestHost(r))));
        computed.Add(new("SERVER_ADDR", AddressText(r.Request.LocalEndPoint.Address)));
        computed.Add(new("SERVER_PORT", ServerUrl.RequestPort(r).ToString(CultureInfo.InvariantCulture)));
        computed.Add(new("REMOTE_ADDR", AddressText(r.Request.RemoteEndPoint.Address)));
        string documentRoot = r.DocumentRoot ?? r.Server.Core.DocumentRoot ?? CoreRequest.CoreFileMapper.DefaultDocumentRoot;
        computed.Add(new("DOCUMENT_ROOT", documentRoot));
        computed.Add(new("REQUEST_SCHEME", r.IsSecure ? "https" : "http"));
        computed.Add(new("CONTEXT_PREFIX", r.ContextPrefix ?? string.Empty));
        computed.Add(new("CONTEXT_DOCUMENT_ROOT", r.ContextDocumentRoot ?? documentRoot));
        computed.Add(new("SERVER_ADMIN", r.Server.Core.ServerAdmin ?? r.Http.Identity.ServerAdmin));
        computed.Add(new("SCRIPT_FILENAME", r.Filename ?? string.Empty));
        computed.Add(new("REMOTE_PORT", r.Request.RemoteEndPoint.Port.ToString(CultureInfo.InvariantCulture)));
        if (r.User is not null)
        {
            computed.Add(new("REMOTE_USER", r.User));
            if (AuthnCoreModule.AuthType(r) is { } authType)
            {
                computed.Add(new("AUTH_TYPE", authType));
            }
        }
        else
        {
            for (RequestRecord? back = r.Previous; back is not null; back = back.Previous)
            {
                if (back.User is not null)
                {
                    computed.Add(new("REDIRECT_REMOTE_USER", back.User));
                    break;
                }
            }
        }

        if (r.Previous is { } prev)
        {
            computed.Add(new("REDIRECT_URL", prev.Uri));
            if (prev.Args is not null)
            {
                computed.Add(new("REDIRECT_QUERY_STRING", prev.Args));
            }
        }

        foreach (var (name, value) in computed)
        {
            env.Set(name, value);
        }
    }

    private static void AddCgiVariables(CgiEnvironment env, RequestRecord r)
    {
        env.Set("GATEWAY_INTERFACE", "CGI/1.1");
        env.Set("SERVER_PROTOCOL", r.Request.Protocol);
        env.Set("REQUEST_METHOD", r.Method);
        env.Set("QUERY_STRING", r.Args ?? string.Empty);
        env.Set("REQUEST_URI", r.Request.RawTarget); // original_uri: the target of the request line, query included
        string? pathInfo = r.PathInfo;
        if (string.IsNullOrEmpty(pathInfo))
        {
            env.Set("SCRIPT_NAME", r.Uri);
            return;
        }

        env.Set("SCRIPT_NAME", r.Uri[..FindPathInfo(r.Uri, pathInfo)]);
        env.Set("PATH_INFO", pathInfo);
        if (TranslatePath(r, SelfUrl.EscapePath(pathInfo)) is { } translated)
        {
            env.Set("PATH_TRANSLATED", translated);
        }
    }

    /// <summary>
    /// ap_find_path_info: where the path info starts in the URI, comparing from the end and
    /// letting a run of slashes in the URI match one slash of the path info.
    /// </summary>
    public static int FindPathInfo(string uri, string pathInfo)
    {
        int lu = uri.Length;
        int lp = pathInfo.Length;
        while (lu-- > 0 && lp-- > 0)
        {
            if (uri[lu] != pathInfo[lp])
            {
                if (lu >= 0 && lp >= 0 && uri[lu] == '/' && lp + 1 < pathInfo.Length && pathInfo[lp + 1] == '/')
                {
                    lp++;
                    continue;
                }

                break;
            }

            if (pathInfo[lp] == '/')
            {
                while (lu > 0 && uri[lu - 1] == '/')
                {
                    lu--;
                }
            }
        }

        if (lu == -1)
        {
            lu = 0;
        }

        while (lu < uri.Length && uri[lu] != '/')
        {
            lu++;
        }

        return lu;
    }

    /// <summary>
    /// PATH_TRANSLATED: the path info looked up as a URI (ap_sub_req_lookup_uri's file name and
    /// path info): the translate_name hooks (Alias), else DocumentRoot + the path. A lookup that
    /// ends in a redirect or an error names no file, so Apache leaves the variable out.
    /// </summary>
    private static string? TranslatePath(RequestRecord r, string escapedUri)
    {
        string uri = Uri.UnescapeDataString(escapedUri);
        var sub = new RequestRecord(r.Http, r.Runtime, r.Server, uri) { IsSubRequest = true, Pipeline = r.Pipeline };
        HttpResponseHeaders headers = r.Response.Headers;
        string? location = headers["Location"];
        int rc = HookResult.Declined;
        foreach (HttpModule m in r.Runtime.Modules)
        {
            if (m.TranslateName is { } hook && (rc = hook(sub)) != HookResult.Declined)
            {
                break;
            }
        }

        // The sub-request's own response fields are not the request's (a Redirect may set Location).
        if (location is null)
        {
            headers.Remove("Location");
        }
        else
        {
            headers.Set("Location", location);
        }

        if (rc == HookResult.Declined)
        {
            rc = CoreRequest.CoreFileMapper.TranslateName(sub);
        }

        return rc == HookResult.Ok && sub.Filename is { } file ? file + sub.PathInfo : null;
    }

    /// <summary>ap_psignature("", r): the footer line of Apache's pages, empty with ServerSignature Off.</summary>
    private static string Signature(RequestRecord r)
    {
        var sb = new StringBuilder();
        HttpErrorPages.AppendSignature(sb, r.Http.Identity, r.Request.Host, ServerUrl.RequestPort(r));
        return sb.Length >= 5 && sb.ToString(0, 5) == "<hr>\n" ? sb.ToString(5, sb.Length - 5) : sb.ToString();
    }

    private static string AddressText(IPAddress address) =>
        (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    private static string EscapeHtml(string s) => HttpErrorPages.EscapeHtml(s);
}
