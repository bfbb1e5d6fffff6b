using System.Collections.Generic;
using Pluma.Http;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Filter;

/// <summary>
/// mod_filter's filter_harness for one filter name: at the first body bytes (or the end of an
/// empty body) it looks at the response as the handler left it and either hands the link to the
/// provider (DEFLATE) or steps aside. Pooled per thread: a request allocates none.
/// </summary>
internal sealed class FilterHarness : OutputFilter
{
    [ThreadStatic]
    private static FilterHarness? t_spare;

    private RequestRecord? _request;
    private HttpModule? _provider;
    private List<(string Filter, string Type)>? _types;
    private string _filterName = string.Empty;
    private OutputFilter? _inner;
    private bool _decided;

    public static FilterHarness Take(RequestRecord r, HttpModule provider, string filterName, List<(string Filter, string Type)> types)
    {
        FilterHarness h = t_spare ?? new FilterHarness();
        t_spare = null;
        h._request = r;
        h._provider = provider;
        h._filterName = filterName;
        h._types = types;
        h._inner = null;
        h._decided = false;
        return h;
    }

    public override void Write(ReadOnlySpan<byte> data)
    {
        if (!_decided)
        {
            Decide();
        }

        if (_inner is null)
        {
            Pass(data);
        }
        else
        {
            _inner.Write(data);
        }
    }

    /// <summary>A file body: decided now; the harness stays only when its provider needs the bytes.</summary>
    public override bool TakesFile(long count)
    {
        if (!_decided)
        {
            Decide();
        }

        return _inner is not null && _inner.TakesFile(count);
    }

    public override void Flush()
    {
        if (!_decided)
        {
            Decide();
        }

        if (_inner is null)
        {
            PassFlush();
        }
        else
        {
            _inner.Flush();
        }
    }

    public override void End()
    {
        if (!_decided)
        {
            Decide();
        }

        if (_inner is null)
        {
            PassEnd();
        }
        else
        {
            _inner.End();
        }
    }

    protected override void Detached()
    {
        if (_inner is not null)
        {
            DetachInner(_inner);
        }

        _inner = null;
        _request = null;
        _provider = null;
        _types = null;
        t_spare = this;
    }

    /// <summary>
    /// filter_harness and filter_lookup: only a 200 answer is filtered (unless the request's
    /// environment has filter-errordocs), and only when the response's media type (the part
    /// before ';', space or tab, compared exactly) is one AddOutputFilterByType named.
    /// </summary>
    private void Decide()
    {
        _decided = true;
        RequestRecord r = _request!;
        if (Response.StatusCode != 200 && !(r.HasEnvironment && r.Environment.ContainsKey("filter-errordocs")))
        {
            return;
        }

        if (!TypeMatches(Response.ContentType ?? r.ContentType, _filterName, _types!))
        {
            return;
        }

        _inner = _provider!.CreateOutputFilter!(r);
        AttachInner(_inner);
    }

    internal static bool TypeMatches(string? contentType, string filterName, List<(string Filter, string Type)> types)
    {
        if (contentType is null)
        {
            return false;
        }

        ReadOnlySpan<char> media = contentType.AsSpan();
        int end = media.IndexOfAny(';', ' ', '\t');
        if (end >= 0)
        {
            media = media[..end];
        }

        foreach ((string filter, string type) in types)
        {
            if (filter.Equals(filterName, StringComparison.OrdinalIgnoreCase) && media.SequenceEqual(type))
            {
                return true;
            }
        }

        return false;
    }
}
