using System.Collections.Generic;
using System.Text.RegularExpressions;
using Pluma.Http;
using Pluma.Modules.Common;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Headers;

/// <summary>
/// mod_headers' output side (ap_headers_output_filter, ap_headers_error_filter): just before the
/// head is built, the onsuccess entries then the always entries edit the response's fields; an
/// error answer gets only the always entries. One per thread, added to a response at most once.
/// Pluma keeps one table of response fields where Apache keeps headers_out and err_headers_out,
/// so an "always" entry acts on the handler's fields too.
/// </summary>
internal sealed class HeadersHook : ResponseHeadHook
{
    [ThreadStatic]
    private static HeadersHook? t_hook;

    private RequestRecord? _request;
    private HeadersDirConfig? _config;

    /// <summary>Adds this thread's hook for <paramref name="r"/> unless the response has it already.</summary>
    public static void AddTo(RequestRecord r, HeadersDirConfig config)
    {
        HeadersHook hook = t_hook ??= new HeadersHook();
        hook._request = r;
        hook._config = config;
        if (!r.Response.HasHeadHook(hook))
        {
            r.Response.AddHeadHook(hook);
        }
    }

    public override void BeforeHead(HttpResponse response, bool errorResponse)
    {
        RequestRecord r = _request!;
        HeadersDirConfig config = _config!;
        _request = null;
        _config = null;
        if (!errorResponse)
        {
            Apply(r, config.OnSuccess, early: false);
        }

        // The fields "always" adds go out first, as Apache overlays err_headers_out first.
        int before = response.Headers.Count;
        Apply(r, config.Always, early: false);
        response.Headers.MoveToFront(before);
    }

    /// <summary>do_headers_fixup over one list; <paramref name="early"/> picks the entries marked early (post_read_request) or the others.</summary>
    internal static void Apply(RequestRecord r, List<HeaderEntry> entries, bool early, bool input = false)
    {
        bool expressions = false;
        foreach (HeaderEntry e in entries)
        {
            if (e.Early != early)
            {
                continue;
            }

            if (!expressions && (e.Condition is not null || e.ValueExpression is not null))
            {
                RequestExpressionContext.For(r);
                expressions = true;
            }

            if (!ConditionHolds(r, e))
            {
                continue;
            }

            if (input)
            {
                RequestHeaderEditor.ApplyOne(r, e);
            }
            else
            {
                ApplyOne(r, e);
            }
        }

        if (expressions)
        {
            IReadOnlyList<string> names = RequestExpressionContext.Current(r).VaryNames;
            AddVary(r.Response.Headers, names);
            if (input)
            {
                RequestVaryHook.AddTo(r, names);
            }
        }
    }

    internal static bool ConditionHolds(RequestRecord r, HeaderEntry e)
    {
        if (e.EnvVariable is { } name)
        {
            bool set = r.HasEnvironment && r.Environment.ContainsKey(name);
            return set != e.EnvNegated;
        }

        return e.Condition is null || e.Condition.Evaluate(RequestExpressionContext.Current(r));
    }

    /// <summary>ap_expr_exec_ctx: the request fields an expression read go into the response's Vary (Apache's header filter drops repeats).</summary>
    internal static void AddVary(HttpResponseHeaders headers, IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            return;
        }

        string? vary = headers["Vary"];
        foreach (string name in names)
        {
            vary = Negotiation.NegotiatedHeaders.MergeVary(vary, name);
        }

        headers.Set("Vary", vary!);
    }

    private static void ApplyOne(RequestRecord r, HeaderEntry e)
    {
        HttpResponse response = r.Response;
        HttpResponseHeaders headers = response.Headers;
        bool contentType = e.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase);
        switch (e.Action)
        {
            case HeaderAction.Set:
                if (contentType)
                {
                    response.ContentType = e.RenderValue(r);
                }
                else
                {
                    headers.Set(e.Name, e.RenderValue(r));
                }

                break;
            case HeaderAction.SetIfEmpty:
                // Apache looks in its field table, where the handler's type never is: Content-Type is always "empty".
                if (contentType || headers.IndexOf(e.Name) < 0)
                {
                    goto case HeaderAction.Set;
                }

                break;
            case HeaderAction.Add:
                headers.Add(e.Name, e.RenderValue(r));
                break;
            case HeaderAction.Append:
                Merge(headers, e.Name, e.RenderValue(r), onlyIfNew: false);
                break;
            case HeaderAction.Merge:
                Merge(headers, e.Name, e.RenderValue(r), onlyIfNew: true);
                break;
            case HeaderAction.Unset:
                if (contentType)
                {
                    response.ContentType = null;
                }

                headers.Remove(e.Name);
                break;
            case HeaderAction.Echo:
                Echo(r, e.Pattern!);
                break;
            case HeaderAction.Edit:
            case HeaderAction.EditAll:
                Edit(r, headers, e);
                break;
            case HeaderAction.Note:
                string? value = contentType ? response.ContentType : headers[e.Name];
                if (value is not null)
                {
                    r.Notes[e.RenderValue(r)] = value;
                }

                break;
        }
    }

    /// <summary>apr_table_mergen (append), or merge: only when the value is not already one of the comma-separated values.</summary>
    private static void Merge(HttpResponseHeaders headers, string name, string value, bool onlyIfNew)
    {
        int i = headers.IndexOf(name);
        if (i < 0)
        {
            headers.Add(name, value);
            return;
        }

        string existing = headers.GetValue(i);
        if (onlyIfNew)
        {
            foreach (string part in existing.Split(','))
            {
                if (part.Trim(' ', '\t') == value)
                {
                    return;
                }
            }
        }

        headers.Set(name, existing + ", " + value);
    }

    /// <summary>Header echo: the request's fields whose names match come back in the response.</summary>
    private static void Echo(RequestRecord r, Regex pattern)
    {
        HttpRequestHeaders request = r.Request.Headers;
        for (int i = 0; i < request.Count; i++)
        {
            string name = request.GetName(i);
            if (pattern.IsMatch(name))
            {
                r.Response.Headers.Add(name, request.GetValue(i));
            }
        }
    }

    /// <summary>
    /// edit replaces the first match in each value of the field, edit* every match ($1 ... in
    /// the replacement); as Apache's edit_header, the edited fields then go to the end.
    /// </summary>
    private static void Edit(RequestRecord r, HttpResponseHeaders headers, HeaderEntry e)
    {
        string replacement = ApacheToDotNet(e.RenderValue(r));
        List<string>? edited = null;
        for (int i = 0; i < headers.Count; i++)
        {
            if (headers.GetName(i).Equals(e.Name, StringComparison.OrdinalIgnoreCase))
            {
                string value = headers.GetValue(i);
                edited ??= [];
                edited.Add(e.Action == HeaderAction.EditAll ? e.Pattern!.Replace(value, replacement) : e.Pattern!.Replace(value, replacement, 1));
            }
        }

        if (edited is null)
        {
            return;
        }

        headers.Remove(e.Name);
        foreach (string value in edited)
        {
            headers.Add(e.Name, value);
        }
    }

    /// <summary>ap_pregsub's $0-$9 and \$ to .NET's substitution syntax ($ doubled where literal).</summary>
    internal static string ApacheToDotNet(string text)
    {
        if (!text.Contains('$', StringComparison.Ordinal) && !text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        var sb = new System.Text.StringBuilder(text.Length + 8);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\' && i + 1 < text.Length && (text[i + 1] == '$' || text[i + 1] == '\\'))
            {
                sb.Append(text[i + 1] == '$' ? "$$" : "\\");
                i++;
            }
            else if (c == '$' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))
            {
                sb.Append("${").Append(text[i + 1]).Append('}');
                i++;
            }
            else if (c == '$')
            {
                sb.Append("$$");
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
