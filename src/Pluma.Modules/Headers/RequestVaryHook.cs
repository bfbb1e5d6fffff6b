using System.Collections.Generic;
using Pluma.Http;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Headers;

/// <summary>
/// The Vary a RequestHeader expression earns (the request fields it read) goes into the
/// response's fields at once, as Apache merges it into headers_out in fixups; an error answer
/// does not send headers_out, so this hook takes those names out of Vary again when the answer
/// turns out to be an error page. One per thread, added to a response at most once.
/// </summary>
internal sealed class RequestVaryHook : ResponseHeadHook
{
    [ThreadStatic]
    private static RequestVaryHook? t_hook;

    private readonly List<string> _names = [];
    private RequestRecord? _request;

    public static void AddTo(RequestRecord r, IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            return;
        }

        RequestVaryHook hook = t_hook ??= new RequestVaryHook();
        if (!ReferenceEquals(hook._request, r) || !r.Response.HasHeadHook(hook))
        {
            hook._names.Clear();
            hook._request = r;
        }

        foreach (string name in names)
        {
            if (!hook._names.Exists(n => n.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                hook._names.Add(name);
            }
        }

        if (!r.Response.HasHeadHook(hook))
        {
            r.Response.AddHeadHook(hook);
        }
    }

    public override void BeforeHead(HttpResponse response, bool errorResponse)
    {
        _request = null;
        if (errorResponse && response.Headers["Vary"] is { } vary)
        {
            var kept = new List<string>();
            foreach (string token in vary.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!_names.Exists(n => n.Equals(token, StringComparison.OrdinalIgnoreCase)))
                {
                    kept.Add(token);
                }
            }

            if (kept.Count == 0)
            {
                response.Headers.Remove("Vary");
            }
            else
            {
                response.Headers.Set("Vary", string.Join(',', kept));
            }
        }

        _names.Clear();
    }
}
