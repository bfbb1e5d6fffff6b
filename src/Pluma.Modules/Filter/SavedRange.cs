using Pluma.Modules.Hosting;

namespace Pluma.Modules.Filter;

/// <summary>
/// mod_filter's request context (mod_filter_ctx.range): the Range field filter_insert took off
/// the request for a filter that must see the whole body, until a provider that can live with
/// ranges puts it back. Made only for a request whose chain has such a filter.
/// </summary>
internal sealed class SavedRange
{
    private readonly RequestRecord _request;
    private string? _value;

    private SavedRange(RequestRecord request, string? value)
    {
        _request = request;
        _value = value;
    }

    /// <summary>Takes the request's Range field (if any) away from the handler.</summary>
    public static SavedRange TakeFrom(RequestRecord r)
    {
        string? range = r.Request.Headers.GetCombined("Range");
        if (range is not null)
        {
            r.Request.Headers.Remove("Range");
        }

        return new SavedRange(r, range);
    }

    /// <summary>filter_lookup's "restore range header we saved earlier", once.</summary>
    public void Restore()
    {
        if (_value is { } range)
        {
            _request.Request.Headers.Set("Range", range);
            _value = null;
        }
    }
}
