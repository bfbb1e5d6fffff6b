namespace Pluma.Modules.Hosting;

/// <summary>
/// What a request asks of the pipeline serving it (Apache's ap_internal_redirect). The pipeline
/// sits above the modules and the records; this seam lets a record reach it without knowing it.
/// </summary>
public interface IInternalRedirect
{
    /// <summary>Serves <paramref name="uri"/> instead of <paramref name="from"/>; returns the hook result to pass on.</summary>
    int InternalRedirect(RequestRecord from, string uri, string? args = null);
}
