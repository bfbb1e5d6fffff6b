using Pluma.Connections.Diagnostics;
using Pluma.Http;
using Pluma.Modules.Common;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Filter;

/// <summary>
/// mod_filter's filter_harness for one smart filter: at the first body bytes (or the end of an
/// empty body) it looks at the response as the handler left it and either hands the link to the
/// first provider that matches (DEFLATE) or steps aside, applying FilterProtocol's flags on the
/// way, and with FilterTrace 1 logs what it is given while it is on the chain (Pluma's writes
/// stand for Apache's brigades: a file is FILE and EOS, a write HEAP, a flush FLUSH, the end
/// EOS). Pooled per thread: a request allocates none.
/// </summary>
internal sealed class FilterHarness : OutputFilter
{
    [ThreadStatic]
    private static FilterHarness? t_spare;

    private RequestRecord? _request;
    private SmartFilter? _filter;
    private OutputFilter? _inner;
    private SavedRange? _savedRange;
    private bool _decided;
    private bool _traced;

    public static FilterHarness Take(RequestRecord r, SmartFilter filter, SavedRange? savedRange = null)
    {
        FilterHarness h = t_spare ?? new FilterHarness();
        t_spare = null;
        h._request = r;
        h._filter = filter;
        h._inner = null;
        h._savedRange = savedRange;
        h._decided = false;
        h._traced = false;
        return h;
    }

    public override void Write(ReadOnlySpan<byte> data)
    {
        Trace("HEAP", data.Length);
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
        // The default handler's one brigade: the file, then the end of the body.
        Trace("FILE", count, endOfStream: true);
        if (!_decided)
        {
            Decide();
        }

        return _inner is not null && _inner.TakesFile(count);
    }

    public override void Flush()
    {
        Trace("FLUSH", 0);
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
        Trace("EOS", 0);
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
        _savedRange = null;
        t_spare = this;
    }

    /// <summary>
    /// filter_harness and filter_lookup: only a 200 answer is filtered (unless the request's
    /// environment has filter-errordocs), by the first provider whose expression is true or whose
    /// media type is the response's (the part before ';', space or tab, compared exactly); on a
    /// proxied response, proxy=no and proxy=transform (with Cache-Control: no-transform) step aside.
    /// </summary>
    private void Decide()
    {
        _decided = true;
        RequestRecord r = _request!;
        if (Response.StatusCode != 200 && !(r.HasEnvironment && r.Environment.ContainsKey("filter-errordocs")))
        {
            return;
        }

        bool proxied = IsProxied(r);
        if (proxied && RefusesProxy(_filter!.ProtocolFlags))
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

            FilterProtocolFlags flags = provider.ProtocolFlags;
            if (proxied)
            {
                if (RefusesProxy(flags))
                {
                    continue;
                }

                if ((flags & FilterProtocolFlags.Transform) != 0)
                {
                    Response.Headers.Add("Warning", "214 " + r.Request.Host + " Transformation applied");
                }
            }

            ApplyProtocol(flags);
            if (r.Runtime.FindOutputFilter(provider.FilterName) is { CreateOutputFilter: { } create })
            {
                _inner = create(r);
                AttachInner(_inner);
            }

            return;
        }
    }

    /// <summary>filter_lookup's "protocol stuff": the fields a changing, uncacheable or unrangeable filter invalidates.</summary>
    private void ApplyProtocol(FilterProtocolFlags flags)
    {
        HttpResponseHeaders headers = Response.Headers;
        if ((flags & FilterProtocolFlags.Change) != 0)
        {
            headers.Remove("Content-MD5");
            headers.Remove("ETag");
            if ((flags & FilterProtocolFlags.ChangeLength) != 0)
            {
                headers.Remove("Content-Length");
                Response.ContentLength = null;
            }
        }

        if ((flags & FilterProtocolFlags.NoCache) != 0)
        {
            headers.Remove("Last-Modified");
            headers.Add("Cache-Control", "no-cache");
        }

        if ((flags & FilterProtocolFlags.NoByteRange) != 0)
        {
            headers.Set("Accept-Ranges", "none");
        }
        else
        {
            _savedRange?.Restore();
        }
    }

    // r->proxyreq: mod_proxy took the request (its file name is "proxy:...").
    private static bool IsProxied(RequestRecord r) =>
        r.Filename is { } file && file.StartsWith("proxy:", StringComparison.Ordinal);

    private bool RefusesProxy(FilterProtocolFlags flags) =>
        (flags & FilterProtocolFlags.NoProxy) != 0
        || ((flags & FilterProtocolFlags.Transform) != 0 && Response.Headers["Cache-Control"] is { } cc && cc.Contains("no-transform", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// filter_trace at level 1: the filter's name, then each bucket's type and length, at debug,
    /// for what the harness sees while it is on the chain (a 200 answer, not yet stepped aside).
    /// </summary>
    private void Trace(string type, long length, bool endOfStream = false)
    {
        RequestRecord? r = _request;
        if (r is null || _traced || _filter!.TraceLevel != 1 || (_decided && _inner is null)
            || (Response.StatusCode != 200 && !(r.HasEnvironment && r.Environment.ContainsKey("filter-errordocs")))
            || !r.Server.ErrorLog.IsEnabled(LogLevel.Debug, "filter"))
        {
            return;
        }

        string client = LogClient.Of(r);
        string name = _filter.Name;
        r.Server.ErrorLog.Write(LogLevel.Debug, "filter", "AH01375: " + name, client);
        r.Server.ErrorLog.Write(LogLevel.Debug, "filter", "AH01376: " + name + ": type: " + type + ", length: " + length.ToString(System.Globalization.CultureInfo.InvariantCulture), client);
        if (endOfStream)
        {
            r.Server.ErrorLog.Write(LogLevel.Debug, "filter", "AH01376: " + name + ": type: EOS, length: 0", client);

            // The file's bytes that follow through Write, and the end, belong to that brigade.
            _traced = true;
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
