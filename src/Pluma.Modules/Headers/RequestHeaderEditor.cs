using System.Collections.Generic;
using Pluma.Http;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Headers;

/// <summary>
/// RequestHeader's side of do_headers_fixup: set, setifempty, add, append, merge, unset, edit and
/// edit* on the request's fields (headers_in), so later phases, the handler and the output
/// filters (mod_deflate's Accept-Encoding) see the edited fields.
/// </summary>
internal static class RequestHeaderEditor
{
    public static void ApplyOne(RequestRecord r, HeaderEntry e)
    {
        HttpRequestHeaders headers = r.Request.Headers;
        switch (e.Action)
        {
            case HeaderAction.Set:
                headers.Set(e.Name, e.RenderValue(r));
                break;
            case HeaderAction.SetIfEmpty:
                if (!headers.Contains(e.Name))
                {
                    headers.Set(e.Name, e.RenderValue(r));
                }

                break;
            case HeaderAction.Add:
                headers.Append(e.Name, e.RenderValue(r));
                break;
            case HeaderAction.Append:
            case HeaderAction.Merge:
                Merge(headers, e.Name, e.RenderValue(r), onlyIfNew: e.Action == HeaderAction.Merge);
                break;
            case HeaderAction.Unset:
                headers.Remove(e.Name);
                break;
            case HeaderAction.Edit:
            case HeaderAction.EditAll:
                Edit(r, headers, e);
                break;
        }
    }

    /// <summary>apr_table_mergen: the values so far joined with ", " and the new one; merge skips a value already listed.</summary>
    private static void Merge(HttpRequestHeaders headers, string name, string value, bool onlyIfNew)
    {
        string? existing = headers.GetCombined(name);
        if (existing is null)
        {
            headers.Append(name, value);
            return;
        }

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

    /// <summary>edit_header over headers_in: each value of the field edited, the edited fields then at the end.</summary>
    private static void Edit(RequestRecord r, HttpRequestHeaders headers, HeaderEntry e)
    {
        string replacement = HeadersHook.ApacheToDotNet(e.RenderValue(r));
        List<string>? edited = null;
        for (int i = headers.IndexOf(e.Name); i >= 0; i = headers.IndexOf(e.Name, i + 1))
        {
            string value = headers.GetValue(i);
            edited ??= [];
            edited.Add(e.Action == HeaderAction.EditAll ? e.Pattern!.Replace(value, replacement) : e.Pattern!.Replace(value, replacement, 1));
        }

        if (edited is null)
        {
            return;
        }

        headers.Remove(e.Name);
        foreach (string value in edited)
        {
            headers.Append(e.Name, value);
        }
    }
}
