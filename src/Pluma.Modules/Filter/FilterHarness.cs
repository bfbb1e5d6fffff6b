using Pluma.Http;
using Pluma.Modules.Common;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Filter;

/// <summary>
/// mod_filter's filter_harness for one smart filter: at the first body bytes (or the end of an
/// empty body) it looks at the response as the handler left it and either hands the link to the
/// first provider that matches (DEFLATE) or steps aside. Pooled per thread: a request allocates none.
/// </summary>
internal sealed class FilterHarness : OutputFilter
{
    [ThreadStatic]
    private static FilterHarness? t_spare;

    private RequestRecord? _request;
    private SmartFilter? _filter;
    private OutputFilter? _inner;
    private bool _decided;

    public static FilterHarness Take(RequestRecord r, SmartFilter filter)
    {
        FilterHarness h = t_spare ?? new FilterHarness();
        t_spare = null;
        h._request = r;
        h._filter = filter;
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
        _filter = null;
        t_spare = this;
    }

    /// <summary>
    /// filter_harness and filter_lookup: only a 200 answer is filtered (unless the request's
    /// environment has filter-errordocs), by the first provider whose expression is true or whose
    /// media type is the response's (the part before ';', space or tab, compared exactly).
    /// </summary>
    private void Decide()
    {
        _decided = true;
        RequestRecord r = _request!;
        if (Response.StatusCode != 200 && !(r.HasEnvironment && r.Environment.ContainsKey("filter-errordocs")))
        {
            return;
        }

        foreach (FilterProvider provider in _filter!.Providers)
        {
            bool match = provider.Condition is { } condition
                ? condition.Evaluate(RequestExpressionContext.For(r))
                : TypeMatches(Response.ContentType ?? r.ContentType, provider.MediaType!);
            if (!match)
            {
                continue;
            }

            if (r.Runtime.FindOutputFilter(provider.FilterName) is { CreateOutputFilter: { } create })
            {
                _inner = create(r);
                AttachInner(_inner);
            }

            return;
        }
    }

    internal static bool TypeMatches(string? contentType, string type)
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

        return media.SequenceEqual(type);
    }
}
